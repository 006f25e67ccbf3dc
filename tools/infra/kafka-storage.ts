// The broker's data folder: its configuration files, and the KRaft storage formatted once with a
// cluster id kept in <dataDir>/cluster-id (and in <dataDir>/logs/meta.properties).
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { kafkaClusterId, log4j2Properties, serverProperties } from './kafka-config';
import { assertSucceeded, runCommand } from './run-command';

/** kafka.log is moved aside (one generation kept) when a start finds it larger than this. */
const LOG_ROTATE_BYTES = 20 * 1024 * 1024;

/** Where the broker's files live, and how the JVM is launched on them. */
export interface BrokerLayout {
  dataDir: string;
  propertiesFile: string;
  logFile: string;
  java: string;
  classpath: string;
  /** JVM flags of both the storage tool and the broker. */
  commonJvmArgs: string[];
}

function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  if (home) {
    const bin = path.join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (existsSync(bin)) return bin;
  }
  return 'java';
}

/** Writes server.properties and log4j2.properties for this start; rotates a large kafka.log. */
export function writeBrokerFiles(options: {
  libsDir: string;
  dataDir: string;
  port: number;
  controllerPort: number;
  extraProperties?: Record<string, string>;
}): BrokerLayout {
  const { dataDir } = options;
  mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  const propertiesFile = path.join(dataDir, 'server.properties');
  const log4jFile = path.join(dataDir, 'log4j2.properties');
  const logFile = path.join(dataDir, 'kafka.log');
  writeFileSync(propertiesFile, serverProperties(options));
  writeFileSync(log4jFile, log4j2Properties(logFile));
  try {
    if (statSync(logFile).size > LOG_ROTATE_BYTES) renameSync(logFile, `${logFile}.1`);
  } catch {
    // No log yet.
  }
  return {
    dataDir,
    propertiesFile,
    logFile,
    java: javaBinary(),
    classpath: path.join(options.libsDir, '*'), // expanded by the JVM, not a shell
    commonJvmArgs: [
      // log4j2 accepts plain paths, but a file: URL is unambiguous on every OS.
      `-Dlog4j2.configurationFile=${pathToFileURL(log4jFile).href}`,
      `-Dkafka.logs.dir=${dataDir}`,
      '-Djava.awt.headless=true',
    ],
  };
}

/**
 * Formats the storage on the first start of a data folder; afterwards keeps cluster-id in step
 * with meta.properties. Returns the cluster id the broker must answer with.
 */
export async function formatStorageOnce(
  layout: BrokerLayout,
  log: (message: string) => void,
): Promise<string> {
  const clusterIdFile = path.join(layout.dataDir, 'cluster-id');
  const metaProperties = path.join(layout.dataDir, 'logs', 'meta.properties');
  let clusterId = existsSync(clusterIdFile) ? readFileSync(clusterIdFile, 'utf8').trim() : '';
  if (existsSync(metaProperties)) {
    const formatted = readFileSync(metaProperties, 'utf8').match(/^cluster\.id=(.+)$/m);
    if (formatted && formatted[1].trim() !== clusterId) {
      clusterId = formatted[1].trim();
      writeFileSync(clusterIdFile, `${clusterId}\n`);
    }
    return clusterId;
  }
  if (!clusterId) {
    clusterId = kafkaClusterId();
    writeFileSync(clusterIdFile, `${clusterId}\n`);
  }
  log(`formatting KRaft storage in ${path.join(layout.dataDir, 'logs')} (cluster ${clusterId})`);
  const result = await runCommand(
    layout.java,
    [
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      ...layout.commonJvmArgs,
      '-cp',
      layout.classpath,
      'kafka.tools.StorageTool',
      'format',
      `--config=${layout.propertiesFile}`,
      `--cluster-id=${clusterId}`,
      '--ignore-formatted',
    ],
    { notFound: `'${layout.java}' not found: Kafka needs Java 17+ on PATH or JAVA_HOME` },
  );
  assertSucceeded('kafka storage format', result);
  return clusterId;
}
