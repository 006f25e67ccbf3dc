// Runs Debian's PostgreSQL server for development and tests, without Docker.
// initdb refuses to run as root, so when we are root the cluster belongs to the unprivileged
// `postgres` system user that Debian's package creates.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync, chownSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import net from 'node:net';

const SUPERUSER = 'rtp';
const SUPERUSER_PASSWORD = 'rtp-local-dev';
export const DATABASE_NAME = 'payments';

export function findPostgresBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) {
    throw new Error('PostgreSQL server not found under /usr/lib/postgresql: apt-get install postgresql');
  }
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql');
  return join(root, versions[0], 'bin');
}

function runAsUser() {
  if (process.getuid?.() !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!passwd) throw new Error('Running as root needs the `postgres` system user (apt-get install postgresql)');
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
 * Starts a cluster in dataDir on port. With `replicaOf: { port }`, the cluster is a streaming hot
 * standby of the primary on that port (cloned by pg_basebackup on first start): a real read replica.
 */
export async function startPostgres({ dataDir, port, replicaOf = null, log = () => {} }) {
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
    exec(join(bin, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(replicaOf.port), '-U', SUPERUSER,
      '-D', clusterDir, '-R', '-X', 'stream', '-c', 'fast'], owner,
    { env: { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD } });
  }
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL cluster in ${clusterDir}`);
    const passwordFile = join(dataDir, 'pwfile');
    writeFileSync(passwordFile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
    if (owner) chownSync(passwordFile, owner.uid, owner.gid);
    exec(join(bin, 'initdb'), [
      '-D', clusterDir, '-U', SUPERUSER, `--pwfile=${passwordFile}`,
      '--auth-local=scram-sha-256', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8',
    ], owner);
  }
  const logFile = join(dataDir, 'postgres.log');
  // fsync stays on: the platform's durability promise is measured with it.
  const serverArgs = [
    '-D', clusterDir,
    '-c', `port=${port}`,
    '-c', 'listen_addresses=127.0.0.1',
    '-c', `unix_socket_directories=${dataDir}`,
    '-c', 'max_connections=200',
    '-c', 'shared_buffers=256MB',
    '-c', 'synchronous_commit=on',
    '-c', 'fsync=on',
    '-c', 'wal_level=logical',
    '-c', `logging_collector=off`,
    '-c', 'hot_standby=on',
  ];
  const child = spawn(join(bin, 'postgres'), serverArgs, {
    uid: owner?.uid,
    gid: owner?.gid,
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: Ctrl-C reaches the orchestrator, which stops the services first.
    detached: true,
  });
  const { createWriteStream } = await import('node:fs');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  child.stderr.pipe(logStream);
  let exited = false;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = true;
    resolve({ code, signal });
  }));
  await Promise.race([
    waitForPort(port, 60_000),
    exitPromise.then(({ code }) => {
      throw new Error(`postgres exited with ${code} before listening; see ${logFile}`);
    }),
  ]);
  const adminUrl = `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`;
  if (!replicaOf) await createDatabaseIfMissing(bin, port, owner);
  log(`PostgreSQL ${port} ready${replicaOf ? ` (replica of ${replicaOf.port})` : ''}`);
  return {
    databaseUrl: `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${DATABASE_NAME}`,
    adminUrl,
    pid: child.pid,
    async stop() {
      if (exited) return;
      // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}

async function createDatabaseIfMissing(bin, port, owner) {
  const env = { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD };
  const psql = existsSync(join(bin, 'psql')) ? join(bin, 'psql') : 'psql';
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER, '-d', 'postgres', '-tAc'];
  for (let attempt = 0; ; attempt += 1) {
    try {
      const exists = exec(psql, [...args, `SELECT 1 FROM pg_database WHERE datname='${DATABASE_NAME}'`],
        owner, { env }).trim();
      if (exists !== '1') exec(psql, [...args, `CREATE DATABASE ${DATABASE_NAME}`], owner, { env });
      return;
    } catch (error) {
      // The port opens slightly before the server accepts logins ("the database system is starting up").
      if (attempt >= 50) throw error;
      await sleep(200);
    }
  }
}
