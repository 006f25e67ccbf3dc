// A single-node KRaft Apache Kafka broker (its own controller) for local development and tests,
// from the official org.apache.kafka jars on the system JVM (Java 17+). No Docker, no tarball.
// The parts: kafka-jars (download and verify), kafka-config and kafka-storage (configuration
// and the storage format), kafka-process (start, stop, watchdog), kafka-readiness (kafkajs).
//
//   node -r @swc-node/register tools/infra/kafka.ts  -> broker in .local/kafka-data on
//     127.0.0.1:19092 (controller 19093); Ctrl-C / SIGTERM stops it.
import path from 'node:path';
import { ensureKafkaJars } from './kafka-jars';
import { BrokerExit, startBrokerProcess } from './kafka-process';
import { waitUntilReady } from './kafka-readiness';
import { formatStorageOnce, writeBrokerFiles } from './kafka-storage';
import { assertPortFree } from './ports';

export { ensureKafkaJars, readKafkaVersion } from './kafka-jars';
export { findFreePort } from './ports';
export type { BrokerExit } from './kafka-process';

const DEFAULT_TIMEOUT_MS = 120_000;

const defaultLog = (message: string) => process.stderr.write(`[kafka] ${message}\n`);

export interface KafkaOptions {
  /** Holds deploy/kafka/pom.xml and .local/. */
  repoRoot: string;
  /** server.properties, cluster-id, logs/, kafka.log. */
  dataDir: string;
  /** PLAINTEXT port on 127.0.0.1. */
  port: number;
  /** CONTROLLER port on 127.0.0.1. */
  controllerPort: number;
  log?: (message: string) => void;
  /** Readiness deadline (120 s). */
  timeoutMs?: number;
  /** Replaces the default heap and GC flags. */
  jvmArgs?: string[];
  /** Added to, or overriding, server.properties. */
  extraProperties?: Record<string, string>;
  /** Named when the port is taken (e.g. RTP_KAFKA_PORT). */
  portSetting?: string;
  /** Likewise for the controller port. */
  controllerPortSetting?: string;
}

export interface KafkaBroker {
  /** host:port for KAFKA_BROKERS. */
  brokers: string;
  pid: number;
  clusterId: string;
  logFile: string;
  exited: Promise<BrokerExit>;
  stop(): Promise<void>;
}

function validate(options: KafkaOptions): void {
  if (!options.repoRoot || !options.dataDir || !options.port || !options.controllerPort) {
    throw new Error('startKafka: repoRoot, dataDir, port and controllerPort are required');
  }
  if (options.port === options.controllerPort) {
    throw new Error('startKafka: port and controllerPort must differ');
  }
}

async function claimPorts(options: KafkaOptions): Promise<void> {
  await assertPortFree(options.port, { what: 'Kafka', setting: options.portSetting });
  await assertPortFree(options.controllerPort, {
    what: 'Kafka controller',
    setting: options.controllerPortSetting,
  });
}

/** Starts the broker and resolves once it is ready (see kafka-readiness). */
export async function startKafka(options: KafkaOptions): Promise<KafkaBroker> {
  validate(options);
  const log = options.log ?? defaultLog;
  const repoRoot = path.resolve(options.repoRoot);
  const dataDir = path.resolve(options.dataDir);
  const startedAt = Date.now();
  const libsDir = await ensureKafkaJars({ repoRoot, log });
  await claimPorts(options);
  const layout = writeBrokerFiles({ ...options, libsDir, dataDir });
  const clusterId = await formatStorageOnce(layout, log);
  const broker = startBrokerProcess({ layout, jvmArgs: options.jvmArgs, log });
  await waitUntilReady({
    broker,
    port: options.port,
    clusterId,
    logFile: layout.logFile,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const brokers = `127.0.0.1:${options.port}`;
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  log(`broker ${brokers} ready in ${seconds}s (pid ${broker.pid}, log ${layout.logFile})`);
  void broker.exited.then((exit) => {
    if (!broker.stopping()) {
      log(
        `broker pid ${broker.pid} exited unexpectedly (${exit.code ?? exit.signal}); see ${layout.logFile}`,
      );
    }
  });
  const { pid, exited, stop } = broker;
  return { brokers, pid, clusterId, logFile: layout.logFile, exited, stop };
}

/** `node -r @swc-node/register tools/infra/kafka.ts`: one broker until Ctrl-C or SIGTERM. */
async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const dataDir = path.join(repoRoot, '.local', 'kafka-data');
  let kafka: KafkaBroker | null = null;
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) {
      try {
        if (kafka) process.kill(kafka.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      process.exit(130);
    }
    shuttingDown = true;
    defaultLog(`${signal} received`);
    if (kafka) await kafka.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  kafka = await startKafka({ repoRoot, dataDir, port: 19092, controllerPort: 19093 });
  if (shuttingDown) {
    await kafka.stop();
    process.exit(0);
  }
  process.stdout.write(`${kafka.brokers}\n`);
  void kafka.exited.then((exit) => {
    if (!shuttingDown) process.exit(exit.code || 1);
  });
}

if (require.main === module) {
  main().catch((error: Error) => {
    defaultLog(error.stack ?? String(error));
    process.exit(1);
  });
}
