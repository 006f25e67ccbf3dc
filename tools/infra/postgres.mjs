// Runs Debian's PostgreSQL server for development and tests, without Docker.
// initdb refuses to run as root, so when we are root the cluster belongs to the unprivileged
// `postgres` system user that Debian's package creates.
import { spawn, spawnSync } from 'node:child_process';
import {
  chownSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import net from 'node:net';
import { assertPortFree } from './ports.mjs';
import { reclaimClusterDirectory } from './postgres-lock.mjs';
import { startWatchdog, stopWatchdog } from './watchdog.mjs';

const SUPERUSER = 'rtp';
const SUPERUSER_PASSWORD = 'rtp-local-dev';
export const DATABASE_NAME = 'payments';
const STOP_GRACE_MS = 20_000;

export function findPostgresBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) {
    throw new Error(
      'PostgreSQL server not found under /usr/lib/postgresql: apt-get install postgresql',
    );
  }
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0)
    throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql');
  return join(root, versions[0], 'bin');
}

function runAsUser() {
  if (process.getuid?.() !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!passwd)
    throw new Error(
      'Running as root needs the `postgres` system user (apt-get install postgresql)',
    );
  const [, , uid, gid] = passwd.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function chownTree(path, owner) {
  spawnSync('chown', ['-R', `${owner.uid}:${owner.gid}`, path], { stdio: 'ignore' });
}

function ensureTraversable(path) {
  // The unprivileged server must reach its data folder through every parent folder.
  let current = path;
  while (current !== '/' && current.length > 1) {
    current = join(current, '..');
    spawnSync('chmod', ['o+x', current], { stdio: 'ignore' });
  }
}

function exec(bin, args, owner, options = {}) {
  const result = spawnSync(bin, args, {
    encoding: 'utf8',
    uid: owner?.uid,
    gid: owner?.gid,
    ...options,
  });
  if (result.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`PostgreSQL did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * Stops a postmaster of dataDir's own cluster left running by an earlier run and removes a stale
 * lock file (see postgres-lock.mjs), then refuses the port if anything else holds it.
 */
export async function claimPostgresPort({ dataDir, port, portSetting, log = () => {} }) {
  await reclaimClusterDirectory(join(dataDir, 'cluster'), log);
  await assertPortFree(port, { what: 'PostgreSQL', setting: portSetting });
}

/**
 * Starts a cluster in dataDir on port. With `replicaOf: { port }`, the cluster is a streaming hot
 * standby of the primary on that port (cloned by pg_basebackup on first start): a real read replica.
 * portSetting names the variable that moves it elsewhere, for the message when the port is taken.
 * `settings` adds server settings (name -> value), e.g. the benchmarks' pg_stat_statements.
 */
export async function startPostgres({
  dataDir,
  port,
  replicaOf = null,
  log = () => {},
  portSetting,
  settings = {},
}) {
  const bin = findPostgresBin();
  const owner = runAsUser();
  const clusterDir = join(dataDir, 'cluster');
  mkdirSync(dataDir, { recursive: true });
  if (owner) {
    ensureTraversable(dataDir);
    chownTree(dataDir, owner);
  }
  if (replicaOf && !existsSync(join(clusterDir, 'PG_VERSION'))) {
    log(`cloning the primary on ${replicaOf.port} into a streaming replica in ${clusterDir}`);
    exec(
      join(bin, 'pg_basebackup'),
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(replicaOf.port),
        '-U',
        SUPERUSER,
        '-D',
        clusterDir,
        '-R',
        '-X',
        'stream',
        '-c',
        'fast',
      ],
      owner,
      { env: { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD } },
    );
  }
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL cluster in ${clusterDir}`);
    const passwordFile = join(dataDir, 'pwfile');
    writeFileSync(passwordFile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
    if (owner) chownSync(passwordFile, owner.uid, owner.gid);
    exec(
      join(bin, 'initdb'),
      [
        '-D',
        clusterDir,
        '-U',
        SUPERUSER,
        `--pwfile=${passwordFile}`,
        '--auth-local=scram-sha-256',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
      ],
      owner,
    );
  }
  const logFile = join(dataDir, 'postgres.log');
  // fsync stays on: the platform's durability promise is measured with it.
  const serverArgs = [
    '-D',
    clusterDir,
    '-c',
    `port=${port}`,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dataDir}`,
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=256MB',
    '-c',
    'synchronous_commit=on',
    '-c',
    'fsync=on',
    '-c',
    'wal_level=logical',
    '-c',
    `logging_collector=off`,
    '-c',
    'hot_standby=on',
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
  const launch = async () => {
    await claimPostgresPort({ dataDir, port, portSetting, log });
    const server = spawnServer(join(bin, 'postgres'), serverArgs, owner, logFile);
    const ready = (async () => {
      await waitForPort(port, 60_000);
      // Whoever answers on the port must be the cluster we just started, never another one.
      const served = await psqlQuery(bin, port, owner, 'postgres', 'SHOW data_directory');
      if (!sameDirectory(served, clusterDir)) {
        throw new Error(`port ${port} is served by the PostgreSQL of ${served}, not ${clusterDir}`);
      }
      if (!replicaOf) await createDatabaseIfMissing(bin, port, owner);
    })();
    const died = server.exited.then(({ code, signal }) => {
      throw new Error(`postgres exited with ${code ?? signal} before it was ready; see ${logFile}`);
    });
    // Whichever loses the race below must not become an unhandled rejection later.
    ready.catch(() => {});
    died.catch(() => {});
    try {
      await Promise.race([ready, died]);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  };
  let server = await launch();
  log(
    `PostgreSQL ${port} ready${replicaOf ? ` (replica of ${replicaOf.port})` : ''} (pid ${server.pid})`,
  );
  return {
    databaseUrl: `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${DATABASE_NAME}`,
    adminUrl: `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`,
    /** The running postmaster (a new one after `restart`). */
    get pid() {
      return server.pid;
    },
    get exited() {
      return server.exited;
    },
    stop: () => server.stop(),
    /** Lets the server outlive this process (a benchmark's --keep): no watchdog stops it. */
    detach: () => server.detach(),
    /** Like `pg_ctl restart -m fast`: fast shutdown, then the same server on the same data. */
    async restart() {
      await server.stop();
      server = await launch();
      log(`PostgreSQL ${port} restarted (pid ${server.pid})`);
    },
  };
}

function sameDirectory(a, b) {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function spawnServer(postgresBin, serverArgs, owner, logFile) {
  const child = spawn(postgresBin, serverArgs, {
    uid: owner?.uid,
    gid: owner?.gid,
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: Ctrl-C reaches the orchestrator, which stops the services first.
    detached: true,
  });
  child.stderr.pipe(createWriteStream(logFile, { flags: 'a' }));
  let exited = false;
  const exitPromise = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  // If this process dies without stopping it, the watchdog does (fast shutdown).
  const watchdog = startWatchdog(child.pid, { signal: 'SIGINT', graceMs: STOP_GRACE_MS });
  exitPromise.then(() => stopWatchdog(watchdog));
  return {
    pid: child.pid,
    exited: exitPromise,
    detach() {
      stopWatchdog(watchdog);
      child.stderr.destroy();
      child.unref();
    },
    async stop() {
      if (exited) return;
      // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
      child.kill('SIGCONT');
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}

/** One value from the server; retried while it is still starting up ("the database system is starting up"). */
async function psqlQuery(bin, port, owner, database, sql) {
  const env = { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD };
  const psql = existsSync(join(bin, 'psql')) ? join(bin, 'psql') : 'psql';
  const args = [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    SUPERUSER,
    '-d',
    database,
    '-tAc',
    sql,
  ];
  for (let attempt = 0; ; attempt += 1) {
    try {
      return exec(psql, args, owner, { env }).trim();
    } catch (error) {
      if (attempt >= 50) throw error;
      await sleep(200);
    }
  }
}

async function createDatabaseIfMissing(bin, port, owner) {
  const exists = await psqlQuery(
    bin,
    port,
    owner,
    'postgres',
    `SELECT 1 FROM pg_database WHERE datname='${DATABASE_NAME}'`,
  );
  if (exists !== '1')
    await psqlQuery(bin, port, owner, 'postgres', `CREATE DATABASE ${DATABASE_NAME}`);
}
