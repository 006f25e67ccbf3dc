// Single-node KRaft Apache Kafka broker for local development and tests.
//
// The broker runs from the official org.apache.kafka jars, fetched from Maven
// Central by Maven (deploy/kafka/pom.xml) into <repoRoot>/.local/kafka/libs-<version>,
// on the system JVM (Java 17+). No Docker, no Kafka tarball.
//
// Node built-ins only; works on Node 20 and Node 24.
//
//   node tools/infra/kafka.mjs   -> broker in .local/kafka-data on 127.0.0.1:19092
//                                   (controller 19093); Ctrl-C / SIGTERM stops it.
//
// API:
//   ensureKafkaJars({ repoRoot, log })                       -> Promise<string> libs dir
//   startKafka({ repoRoot, dataDir, port, controllerPort, log, ...opts })
//                                   -> Promise<{ brokers, pid, clusterId, logFile, exited, stop }>
//   findFreePort()                                           -> Promise<number>
//   readKafkaVersion(repoRoot)                               -> string (kafka.version of the pom)

import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open as openAsync } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertPortFree } from './ports.mjs';
import { startWatchdog, stopWatchdog } from './watchdog.mjs';

const POM_REL = path.join('deploy', 'kafka', 'pom.xml');
const MARKER = '.complete.json';
const DEFAULT_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 20_000;

const defaultLog = (msg) => process.stderr.write(`[kafka] ${msg}\n`);

// ---------------------------------------------------------------------------
// jars

/** kafka.version from deploy/kafka/pom.xml (single source of truth). */
export function readKafkaVersion(repoRoot) {
  const pom = readFileSync(path.join(repoRoot, POM_REL), 'utf8');
  const m = pom.match(/<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/);
  if (!m) throw new Error(`${POM_REL}: no <kafka.version> property`);
  return m[1];
}

function readMarker(libsDir) {
  try {
    return JSON.parse(readFileSync(path.join(libsDir, MARKER), 'utf8'));
  } catch {
    return null;
  }
}

function libsComplete(libsDir, version, pomHash) {
  const marker = readMarker(libsDir);
  if (!marker || marker.kafkaVersion !== version || marker.pomSha256 !== pomHash) return false;
  if (!Array.isArray(marker.jars) || marker.jars.length === 0) return false;
  return marker.jars.every((j) => existsSync(path.join(libsDir, j)));
}

function run(cmd, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const win = process.platform === 'win32';
    const child = spawn(win ? `${cmd}.cmd` : cmd, args, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: win,
      windowsHide: true,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (err) =>
      reject(
        err.code === 'ENOENT'
          ? new Error(`'${cmd}' not found on PATH (needed to fetch the Kafka jars)`)
          : err,
      ),
    );
    child.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

/**
 * Make sure the Kafka server jars are in <repoRoot>/.local/kafka/libs-<version>.
 * Runs Maven only when that folder is missing/incomplete or the pom changed.
 * @returns {Promise<string>} absolute path of the libs folder
 */
export async function ensureKafkaJars({ repoRoot, log = defaultLog } = {}) {
  if (!repoRoot) throw new Error('ensureKafkaJars: repoRoot is required');
  repoRoot = path.resolve(repoRoot);
  const pomPath = path.join(repoRoot, POM_REL);
  const version = readKafkaVersion(repoRoot);
  const pomHash = createHash('sha256').update(readFileSync(pomPath)).digest('hex');
  const baseDir = path.join(repoRoot, '.local', 'kafka');
  const libsDir = path.join(baseDir, `libs-${version}`);

  if (libsComplete(libsDir, version, pomHash)) return libsDir;

  mkdirSync(baseDir, { recursive: true });
  const tmpDir = path.join(baseDir, `.libs-${version}.tmp-${process.pid}-${Date.now()}`);
  log(`fetching Kafka ${version} jars with Maven into ${libsDir} ...`);
  const t0 = Date.now();
  try {
    const res = await run(
      'mvn',
      ['-B', '-q', '-f', pomPath, 'dependency:copy-dependencies', `-DoutputDirectory=${tmpDir}`],
      { cwd: repoRoot },
    );
    if (res.code !== 0) {
      throw new Error(
        `mvn dependency:copy-dependencies failed (exit ${res.code ?? res.signal}):\n${res.out.slice(-4000)}`,
      );
    }
    const jars = readdirSync(tmpDir)
      .filter((f) => f.endsWith('.jar'))
      .sort();
    if (!jars.some((j) => j.startsWith(`kafka_`) && j.includes(version))) {
      throw new Error(`Maven finished but no kafka_*-${version}.jar in ${tmpDir}`);
    }
    writeFileSync(
      path.join(tmpDir, MARKER),
      JSON.stringify(
        { kafkaVersion: version, pomSha256: pomHash, jars, createdAt: new Date().toISOString() },
        null,
        2,
      ) + '\n',
    );
    // Swap in atomically so a half-copied folder is never mistaken for a good one.
    if (existsSync(libsDir)) {
      if (libsComplete(libsDir, version, pomHash)) {
        // Another process won the race.
        rmSync(tmpDir, { recursive: true, force: true });
        return libsDir;
      }
      rmSync(libsDir, { recursive: true, force: true });
    }
    try {
      renameSync(tmpDir, libsDir);
    } catch (err) {
      if (!libsComplete(libsDir, version, pomHash)) throw err;
      rmSync(tmpDir, { recursive: true, force: true });
    }
    log(
      `Kafka ${version} jars ready (${jars.length} jars, ${((Date.now() - t0) / 1000).toFixed(1)}s)`,
    );
    return libsDir;
  } catch (err) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
}

// ---------------------------------------------------------------------------
// ports

/** A TCP port that is free on 127.0.0.1 right now. */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------
// minimal Kafka wire protocol, used only for the readiness probe

function encodeRequest(apiKey, apiVersion, correlationId, body) {
  const clientId = Buffer.from('kafka-mjs-probe');
  const header = Buffer.alloc(2 + 2 + 4 + 2);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  const payload = Buffer.concat([header, clientId, body]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length, 0);
  return Buffer.concat([size, payload]);
}

/** Open a socket and return a `request(buf) -> Promise<Buffer>` for one response frame at a time. */
function connect(port, timeoutMs) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    let waiter = null;
    let failed = null;
    const fail = (err) => {
      failed = failed ?? err;
      if (waiter) {
        const w = waiter;
        waiter = null;
        w.reject(failed);
      }
    };
    const pump = () => {
      if (!waiter || buf.length < 4) return;
      const size = buf.readInt32BE(0);
      if (buf.length < 4 + size) return;
      const frame = buf.subarray(4, 4 + size);
      buf = buf.subarray(4 + size);
      const w = waiter;
      waiter = null;
      w.resolve(frame);
    };
    sock.setTimeout(timeoutMs, () => {
      fail(new Error('probe timeout'));
      sock.destroy();
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      pump();
    });
    sock.on('error', (err) => {
      fail(err);
      reject(err);
    });
    sock.on('close', () => fail(new Error('connection closed by broker')));
    sock.on('connect', () =>
      resolve({
        request(data) {
          if (failed) return Promise.reject(failed);
          return new Promise((res, rej) => {
            waiter = { resolve: res, reject: rej };
            sock.write(data);
            pump();
          });
        },
        close() {
          sock.destroy();
        },
      }),
    );
  });
}

/**
 * ApiVersions v0, then Metadata (v4..v8, non-flexible encoding) asking for no topics.
 * Resolves { clusterId, brokers, controllerId } or throws.
 */
async function probeBroker(port, timeoutMs = 3000) {
  const conn = await connect(port, timeoutMs);
  try {
    // ApiVersions v0: empty body. Response: corrId, errorCode, [apiKey, min, max]
    let frame = await conn.request(encodeRequest(18, 0, 1, Buffer.alloc(0)));
    let o = 4;
    const err = frame.readInt16BE(o);
    o += 2;
    if (err !== 0) throw new Error(`ApiVersions error code ${err}`);
    const n = frame.readInt32BE(o);
    o += 4;
    let metaMin = -1;
    let metaMax = -1;
    for (let i = 0; i < n; i++) {
      const key = frame.readInt16BE(o);
      if (key === 3) {
        metaMin = frame.readInt16BE(o + 2);
        metaMax = frame.readInt16BE(o + 4);
      }
      o += 6;
    }
    const v = Math.min(8, metaMax);
    if (metaMin < 0 || v < Math.max(4, metaMin)) {
      // Only flexible Metadata versions left (a future broker): ApiVersions answered, good enough.
      return { clusterId: null, brokers: [], controllerId: -1, metadataChecked: false };
    }

    // Metadata v4..v8 request: topics=[] (no topics), allow_auto_topic_creation=false
    // (+ v8: include_cluster/topic_authorized_operations=false)
    const body = Buffer.alloc(v >= 8 ? 7 : 5);
    body.writeInt32BE(0, 0);
    frame = await conn.request(encodeRequest(3, v, 2, body));
    o = 4 + 4; // correlation id, throttle_time_ms
    const nb = frame.readInt32BE(o);
    o += 4;
    const readStr = () => {
      const len = frame.readInt16BE(o);
      o += 2;
      if (len < 0) return null;
      const s = frame.toString('utf8', o, o + len);
      o += len;
      return s;
    };
    const brokers = [];
    for (let i = 0; i < nb; i++) {
      const nodeId = frame.readInt32BE(o);
      o += 4;
      const host = readStr();
      const bport = frame.readInt32BE(o);
      o += 4;
      readStr(); // rack
      brokers.push({ nodeId, host, port: bport });
    }
    const clusterId = readStr();
    const controllerId = frame.readInt32BE(o);
    return { clusterId, brokers, controllerId, metadataChecked: true };
  } finally {
    conn.close();
  }
}

// ---------------------------------------------------------------------------
// broker

function kafkaClusterId() {
  // Kafka cluster ids are base64url (no padding) encodings of a random v4 UUID. Like Kafka's
  // Uuid.randomUuid(), never start with '-' (the storage tool would parse it as an option).
  for (;;) {
    const id = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

const fwd = (p) => p.split(path.sep).join('/'); // forward slashes are safe in .properties files

function serverProperties({ dataDir, port, controllerPort, extraProperties }) {
  const props = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    // Static quorum (kraft.version 0): the voter endpoint is read from this file on each
    // start, so the controller port may change between restarts of the same dataDir.
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': fwd(path.join(dataDir, 'logs')),
    'num.partitions': '12',
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'auto.create.topics.enable': 'false',
    'group.initial.rebalance.delay.ms': '0',
    ...(extraProperties ?? {}),
  };
  return (
    '# Generated by tools/infra/kafka.mjs on every start; edits are overwritten.\n' +
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') +
    '\n'
  );
}

function log4j2Properties(logFile) {
  return [
    '# Generated by tools/infra/kafka.mjs: all broker logging goes to kafka.log',
    'status = warn',
    'name = kafka-local',
    // Let Kafka's own shutdown hook keep logging until the JVM is really gone.
    'shutdownHook = disable',
    'appender.file.type = File',
    'appender.file.name = FILE',
    `appender.file.fileName = ${fwd(logFile)}`,
    'appender.file.append = true',
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = FILE',
    'logger.request.name = kafka.request.logger',
    'logger.request.level = WARN',
    'logger.state.name = state.change.logger',
    'logger.state.level = WARN',
    'logger.cleaner.name = kafka.log.LogCleaner',
    'logger.cleaner.level = WARN',
    // The full "XxxConfig values:" dumps (several per start, ~150 KB); server.properties is next to this log.
    'logger.config.name = org.apache.kafka.common.config.AbstractConfig',
    'logger.config.level = WARN',
    '',
  ].join('\n');
}

function javaBin() {
  const home = process.env.JAVA_HOME;
  if (home) {
    const bin = path.join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (existsSync(bin)) return bin;
  }
  return 'java';
}

async function tailFile(file, bytes = 8000) {
  try {
    const fh = await openAsync(file, 'r');
    try {
      const { size } = await fh.stat();
      const start = Math.max(0, size - bytes);
      const buf = Buffer.alloc(size - start);
      await fh.read(buf, 0, buf.length, start);
      return buf.toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return '(no log)';
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Start a single-node (combined broker+controller) KRaft broker.
 *
 * @param {object} o
 * @param {string} o.repoRoot        repo root (holds deploy/kafka/pom.xml and .local/)
 * @param {string} o.dataDir         state dir: server.properties, cluster-id, logs/, kafka.log
 * @param {number} o.port            PLAINTEXT port on 127.0.0.1
 * @param {number} o.controllerPort  CONTROLLER port on 127.0.0.1
 * @param {(msg: string) => void} [o.log]
 * @param {number} [o.timeoutMs=120000]      readiness deadline
 * @param {string[]} [o.jvmArgs]             replaces the default heap/GC flags
 * @param {Record<string,string>} [o.extraProperties]  appended to / overriding server.properties
 * @param {string} [o.portSetting]            named when the port is taken (e.g. RTP_KAFKA_PORT)
 * @param {string} [o.controllerPortSetting]  likewise for the controller port
 * @returns {Promise<{ brokers: string, pid: number, clusterId: string, logFile: string,
 *   exited: Promise<{ code: number|null, signal: string|null }>, stop: () => Promise<void> }>}
 */
export async function startKafka({
  repoRoot,
  dataDir,
  port,
  controllerPort,
  log = defaultLog,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  jvmArgs,
  extraProperties,
  portSetting,
  controllerPortSetting,
} = {}) {
  if (!repoRoot || !dataDir || !port || !controllerPort) {
    throw new Error('startKafka: repoRoot, dataDir, port and controllerPort are required');
  }
  if (port === controllerPort) throw new Error('startKafka: port and controllerPort must differ');
  repoRoot = path.resolve(repoRoot);
  dataDir = path.resolve(dataDir);
  const t0 = Date.now();

  const libsDir = await ensureKafkaJars({ repoRoot, log });
  await assertPortFree(port, { what: 'Kafka', setting: portSetting });
  await assertPortFree(controllerPort, {
    what: 'Kafka controller',
    setting: controllerPortSetting,
  });

  mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  const propsFile = path.join(dataDir, 'server.properties');
  const log4jFile = path.join(dataDir, 'log4j2.properties');
  const logFile = path.join(dataDir, 'kafka.log');
  const clusterIdFile = path.join(dataDir, 'cluster-id');
  writeFileSync(propsFile, serverProperties({ dataDir, port, controllerPort, extraProperties }));
  writeFileSync(log4jFile, log4j2Properties(logFile));

  // Keep kafka.log from growing forever across restarts (one generation kept).
  try {
    if (statSync(logFile).size > 20 * 1024 * 1024) renameSync(logFile, `${logFile}.1`);
  } catch {}

  const java = javaBin();
  const classpath = path.join(libsDir, '*'); // expanded by the JVM, not a shell
  const commonJvm = [
    `-Dlog4j2.configurationFile=${pathToFileUrlString(log4jFile)}`,
    `-Dkafka.logs.dir=${dataDir}`,
    '-Djava.awt.headless=true',
  ];

  // Format storage once; the cluster id lives in <dataDir>/cluster-id and <dataDir>/logs/meta.properties.
  const metaProps = path.join(dataDir, 'logs', 'meta.properties');
  let clusterId = existsSync(clusterIdFile) ? readFileSync(clusterIdFile, 'utf8').trim() : '';
  if (!existsSync(metaProps)) {
    if (!clusterId) {
      clusterId = kafkaClusterId();
      writeFileSync(clusterIdFile, `${clusterId}\n`);
    }
    log(`formatting KRaft storage in ${path.join(dataDir, 'logs')} (cluster ${clusterId})`);
    const res = await runJava(java, [
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      ...commonJvm,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      `--config=${propsFile}`,
      `--cluster-id=${clusterId}`,
      '--ignore-formatted',
    ]);
    if (res.code !== 0) {
      throw new Error(
        `kafka storage format failed (exit ${res.code ?? res.signal}):\n${res.out.slice(-4000)}`,
      );
    }
  } else {
    const m = readFileSync(metaProps, 'utf8').match(/^cluster\.id=(.+)$/m);
    if (m && m[1].trim() !== clusterId) {
      clusterId = m[1].trim();
      writeFileSync(clusterIdFile, `${clusterId}\n`);
    }
  }

  const logFd = openSync(logFile, 'a');
  let child;
  try {
    child = spawn(
      java,
      [
        ...(jvmArgs ?? [
          '-Xms256m',
          '-Xmx768m',
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=20',
          '-XX:+ExplicitGCInvokesConcurrent',
        ]),
        '-XX:MaxInlineLevel=15',
        ...commonJvm,
        '-cp',
        classpath,
        'kafka.Kafka',
        propsFile,
      ],
      // Own process group: a terminal's Ctrl-C reaches the orchestrator only, which stops the
      // services before the broker; the watchdog below covers the orchestrator's death.
      { cwd: dataDir, stdio: ['ignore', logFd, logFd], windowsHide: true, detached: true },
    );
  } finally {
    closeSync(logFd);
  }

  let exited = null; // { code, signal } once the JVM is gone
  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.once('error', (err) => {
      exited = { code: null, signal: null, error: err };
      resolve(exited);
    });
  });

  // Never leave the JVM behind: a tiny detached watchdog holds a pipe from this process and
  // terminates the broker if that pipe closes (this process died, even by SIGKILL).
  const watchdog = startWatchdog(child.pid, { signal: 'SIGTERM', graceMs: STOP_GRACE_MS });

  // And on a normal exit of this Node process.
  const onParentExit = () => {
    if (!exited) {
      try {
        child.kill('SIGTERM');
      } catch {}
    }
  };
  process.once('exit', onParentExit);

  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      if (!exited) {
        log(`stopping broker pid ${child.pid} ...`);
        // A stalled (SIGSTOPped) broker would only act on SIGTERM once continued.
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        let timer;
        const timeout = new Promise((r) => (timer = setTimeout(r, STOP_GRACE_MS, 'timeout')));
        const first = await Promise.race([exitPromise, timeout]);
        clearTimeout(timer);
        if (first === 'timeout' && !exited) {
          log(`broker pid ${child.pid} did not exit in ${STOP_GRACE_MS / 1000}s, sending SIGKILL`);
          child.kill('SIGKILL');
        }
        await exitPromise;
      }
      stopWatchdog(watchdog);
      process.removeListener('exit', onParentExit);
    })();
    return stopping;
  };

  // Readiness: port accepts TCP, answers ApiVersions and Metadata with our cluster id and a live broker.
  const deadline = Date.now() + timeoutMs;
  let lastErr = 'not started';
  for (;;) {
    if (exited) {
      stopWatchdog(watchdog);
      process.removeListener('exit', onParentExit);
      const why = exited.error ? exited.error.message : `exit code ${exited.code ?? exited.signal}`;
      throw new Error(
        `Kafka broker died during startup (${why}). Tail of ${logFile}:\n${await tailFile(logFile)}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `Kafka broker not ready after ${timeoutMs / 1000}s (last probe: ${lastErr}). Tail of ${logFile}:\n${await tailFile(logFile)}`,
      );
    }
    try {
      const info = await probeBroker(port);
      if (!info.metadataChecked) break;
      if (info.clusterId !== clusterId) {
        // Something else (an older broker on a reused port?) is answering: never report it as ours.
        await stop();
        throw new Error(
          `port ${port} answered with cluster id ${info.clusterId}, expected ${clusterId}`,
        );
      }
      if (info.brokers.some((b) => b.nodeId === 1) && info.controllerId >= 0) break;
      lastErr = `metadata not ready (brokers=${info.brokers.length}, controller=${info.controllerId})`;
    } catch (err) {
      if (stopping) throw err;
      lastErr = err.message;
    }
    await sleep(200);
  }

  const brokers = `127.0.0.1:${port}`;
  log(
    `broker ${brokers} ready in ${((Date.now() - t0) / 1000).toFixed(1)}s (pid ${child.pid}, log ${logFile})`,
  );
  exitPromise.then((e) => {
    if (!stopping)
      log(`broker pid ${child.pid} exited unexpectedly (${e.code ?? e.signal}); see ${logFile}`);
  });
  return { brokers, pid: child.pid, clusterId, logFile, exited: exitPromise, stop };
}

function pathToFileUrlString(p) {
  // log4j2 accepts plain paths, but a file: URL is unambiguous on every OS.
  return new URL(`file://${fwd(p).startsWith('/') ? '' : '/'}${fwd(p)}`).href;
}

function runJava(java, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (err) =>
      reject(
        err.code === 'ENOENT'
          ? new Error(`'${java}' not found: Kafka needs Java 17+ on PATH or JAVA_HOME`)
          : err,
      ),
    );
    child.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

// ---------------------------------------------------------------------------
// CLI: node tools/infra/kafka.mjs

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dataDir = path.join(repoRoot, '.local', 'kafka-data');
  let kafka = null;
  let shuttingDown = false;
  const shutdown = async (sig) => {
    if (shuttingDown) {
      if (kafka) {
        try {
          process.kill(kafka.pid, 'SIGKILL');
        } catch {}
      }
      process.exit(130);
    }
    shuttingDown = true;
    defaultLog(`${sig} received`);
    if (kafka) await kafka.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    kafka = await startKafka({ repoRoot, dataDir, port: 19092, controllerPort: 19093 });
    if (shuttingDown) {
      await kafka.stop();
      process.exit(0);
    }
    process.stdout.write(`${kafka.brokers}\n`);
    kafka.exited.then((e) => {
      if (!shuttingDown) process.exit(e.code || 1);
    });
  } catch (err) {
    defaultLog(err.stack ?? String(err));
    process.exit(1);
  }
}
