import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { services } from '../../tools/service-processes';
import { REPO_ROOT } from '../support/platform';

jest.setTimeout(120_000);

// Each run is a child process, as a run of `npm start` is: it starts the cluster with
// startPostgres (tools/infra/postgres.ts, through SWC), prints its pid and what the server
// answers, and stops it.
const RUN_SOURCE = `
const [modulePath, dataDir, port] = process.argv.slice(1);
const { startPostgres } = require(modulePath);
const lines = [];
(async () => {
  try {
    const postgres = await startPostgres({ dataDir, port: Number(port), log: (line) => lines.push(line) });
    console.log(JSON.stringify({ pid: postgres.pid, lines }));
    await postgres.stop();
  } catch (error) {
    console.log(JSON.stringify({ error: error.message, lines }));
  }
})();
`;

interface Run {
  pid?: number;
  error?: string;
  lines: string[];
}

async function startAndStop(dataDir: string, port: number): Promise<Run> {
  const modulePath = join(REPO_ROOT, 'tools', 'infra', 'postgres.ts');
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', '-e', RUN_SOURCE, modulePath, dataDir, String(port)],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise((resolve) => child.on('close', resolve));
  const last = stdout.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) throw new Error(`no result: ${stdout} ${stderr}`);
  return JSON.parse(last) as Run;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function postgresOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = (line ?? '').split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function postgresBinary(): string {
  const root = '/usr/lib/postgresql';
  const version = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return join(root, version, 'bin', 'postgres');
}

describe('starting PostgreSQL on a folder an earlier run left behind', () => {
  let dataDir: string;
  let port: number;
  const clusterDir = () => join(dataDir, 'cluster');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rtp-postgres-own-'));
    port = await services.freePort();
    const first = await startAndStop(dataDir, port);
    expect(first.error).toBeUndefined();
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  describe('when postmaster.pid names a process that is gone', () => {
    it('removes the stale lock and starts cleanly', async () => {
      const gone = spawnSync('true').pid;
      writeFileSync(join(clusterDir(), 'postmaster.pid'), `${gone}\n${clusterDir()}\n`);

      const run = await startAndStop(dataDir, port);

      expect(run.error).toBeUndefined();
      expect(run.lines.join('\n')).toContain('removing a stale');
    });
  });

  describe('when postmaster.pid names a live process that is not PostgreSQL', () => {
    it('treats the lock as stale and starts cleanly', async () => {
      writeFileSync(join(clusterDir(), 'postmaster.pid'), `${process.pid}\n${clusterDir()}\n`);

      const run = await startAndStop(dataDir, port);

      expect(run.error).toBeUndefined();
      expect(alive(process.pid)).toBe(true);
    });
  });

  describe('when a postmaster of this very folder was left running', () => {
    it('stops it and starts its own', async () => {
      const owner = postgresOwner();
      const leftover = spawn(
        postgresBinary(),
        [
          '-D',
          clusterDir(),
          '-c',
          `port=${port}`,
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          `unix_socket_directories=${dataDir}`,
        ],
        { uid: owner?.uid, gid: owner?.gid, stdio: 'ignore', detached: true },
      );
      const leftoverExit = new Promise((resolve) => leftover.on('exit', resolve));
      try {
        while (!existsSync(join(clusterDir(), 'postmaster.pid'))) await sleep(50);

        const run = await startAndStop(dataDir, port);

        expect(run.error).toBeUndefined();
        expect(run.lines.join('\n')).toContain(
          `PostgreSQL pid ${leftover.pid} of ${clusterDir()} was left running`,
        );
        expect(run.pid).not.toBe(leftover.pid);
        await leftoverExit;
      } finally {
        if (leftover.exitCode === null && leftover.signalCode === null) leftover.kill('SIGKILL');
      }
    });
  });

  describe('when another process holds the port', () => {
    it('refuses, naming the port', async () => {
      const holder = spawn(
        process.execPath,
        [
          '-e',
          `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('listening'))`,
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      try {
        await new Promise((resolve) => holder.stdout.once('data', resolve));

        const run = await startAndStop(dataDir, port);

        expect(run.error).toContain(
          `PostgreSQL port 127.0.0.1:${port} is in use by a process this run did not start`,
        );
        expect(run.error).toContain(`pid ${holder.pid}`);
        expect(existsSync(join(clusterDir(), 'postmaster.pid'))).toBe(false);
      } finally {
        holder.kill('SIGKILL');
      }
    });
  });
});
