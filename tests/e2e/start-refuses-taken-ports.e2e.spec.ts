import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { services } from '../../tools/service-processes';
import { REPO_ROOT } from '../support/platform';

jest.setTimeout(60_000);

const REFUSAL_WITHIN_MS = 20_000;
const SERVICE_PORT_SETTINGS = [
  'GATEWAY_PORT',
  'LEDGER_PORT',
  'PARTNER_ADAPTER_PORT',
  'RECONCILER_PORT',
  'SANDBOX_BANK_PORT',
];
const INFRASTRUCTURE_PORT_SETTINGS = [
  'RTP_POSTGRES_PORT',
  'RTP_KAFKA_PORT',
  'RTP_KAFKA_CONTROLLER_PORT',
];

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Processes whose command line names the folder: anything `npm start` would have left running. */
function processesUsing(folder: string): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return command.includes(folder) ? [`${pid} ${command}`] : [];
      } catch {
        return [];
      }
    });
}

async function runStart(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string; elapsedMs: number }> {
  const startedAt = Date.now();
  // Without the local Prometheus: its port (9090) is not among the ones this suite takes.
  const environment: Record<string, string | undefined> = {
    ...process.env,
    RTP_PROMETHEUS: 'off',
    ...env,
  };
  delete environment.DATABASE_URL;
  delete environment.KAFKA_BROKERS;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join('tools', 'start.ts')], {
    cwd: REPO_ROOT,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGTERM'), REFUSAL_WITHIN_MS);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  return { code, output, elapsedMs: Date.now() - startedAt };
}

describe('when a port npm start needs is held by a process it did not start', () => {
  let localDir: string;
  let ports: Record<string, number>;

  beforeEach(async () => {
    localDir = mkdtempSync(join(tmpdir(), 'rtp-start-refusal-'));
    ports = {};
    for (const setting of [...SERVICE_PORT_SETTINGS, ...INFRASTRUCTURE_PORT_SETTINGS]) {
      ports[setting] = await services.freePort();
    }
  });

  afterEach(() => rmSync(localDir, { recursive: true, force: true }));

  it.each([
    ['PostgreSQL', 'RTP_POSTGRES_PORT'],
    ['Kafka', 'RTP_KAFKA_PORT'],
    ['Kafka controller', 'RTP_KAFKA_CONTROLLER_PORT'],
  ])('refuses the %s port, naming it and %s, and leaves nothing running', async (what, setting) => {
    const foreign = await listen(ports[setting]);
    try {
      const env = Object.fromEntries(
        Object.entries(ports).map(([name, port]) => [name, String(port)]),
      );
      const result = await runStart({ ...env, RTP_LOCAL_DIR: localDir });

      expect(result.code).not.toBe(0);
      expect(result.code).not.toBeNull();
      expect(result.elapsedMs).toBeLessThan(REFUSAL_WITHIN_MS);
      expect(result.output).toContain(`${what} port 127.0.0.1:${ports[setting]} is in use`);
      expect(result.output).toContain(`set ${setting} to another port`);
      expect(result.output).not.toContain('ready');
      expect(processesUsing(localDir)).toEqual([]);
      expect(existsSync(join(localDir, 'data', 'postgres', 'cluster', 'postmaster.pid'))).toBe(
        false,
      );
      for (const other of INFRASTRUCTURE_PORT_SETTINGS.filter((name) => name !== setting)) {
        expect(await portIsFree(ports[other])).toBe(true);
      }
      // The foreign process is left alone.
      expect(foreign.listening).toBe(true);
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });
});
