// Runs the platform's services as child processes, straight from TypeScript through SWC. Shared
// by `npm start`, the benchmarks, chaos and the tests (through tools/service-processes).
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from './infra/ports';

export interface ServiceDefinition {
  app: string;
  /** The variable that sets its port. */
  portVariable: string;
  /** Its port when that variable is not set. */
  port: number;
}

export const SERVICES: readonly ServiceDefinition[] = [
  { app: 'ledger', portVariable: 'LEDGER_PORT', port: 3001 },
  { app: 'gateway', portVariable: 'GATEWAY_PORT', port: 3000 },
  { app: 'partner-adapter', portVariable: 'PARTNER_ADAPTER_PORT', port: 3002 },
  { app: 'reconciler', portVariable: 'RECONCILER_PORT', port: 3003 },
  { app: 'sandbox-bank', portVariable: 'SANDBOX_BANK_PORT', port: 3004 },
];

export interface ServiceExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceHandle {
  app: string;
  child: ChildProcess;
  exited: Promise<ServiceExitStatus>;
  /** SIGTERM, then SIGKILL after `graceMs` (15 s). */
  stop(graceMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<ServiceExitStatus>;
}

function nodeArguments(app: string, env: NodeJS.ProcessEnv): string[] {
  // node refuses --cpu-prof in NODE_OPTIONS: CPU_PROFILE_DIR asks for a V8 CPU profile per
  // service, written there when it stops (`npm run profile:top -- <dir>` summarises them).
  const profile = env.CPU_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${env.CPU_PROFILE_DIR}`]
    : [];
  return [
    '--enable-source-maps',
    // kafkajs 2.2.4 sets negative timeouts that Node 24 warns about (kafkajs issue #1751).
    '--disable-warning=TimeoutNegativeWarning',
    ...profile,
    '-r',
    '@swc-node/register',
    join('apps', app, 'src', 'main.ts'),
  ];
}

export function startService(options: {
  repoRoot: string;
  app: string;
  env: Record<string, string>;
  logDir: string;
}): ServiceHandle {
  const { repoRoot, app, logDir } = options;
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${app}.log`), { flags: 'a' });
  const env = { ...process.env, ...options.env, SWC_NODE_PROJECT: join(repoRoot, 'tsconfig.json') };
  const child = spawn(process.execPath, nodeArguments(app, env), {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl-C reaches the orchestrator only, which stops services in order.
    detached: true,
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<ServiceExitStatus>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    app,
    child,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      child.kill(signal);
      return exited;
    },
  };
}

/** Polls the URL until it answers 2xx; throws if the service exits first or the time runs out. */
export async function waitForReady(
  url: string,
  timeoutMs: number,
  service?: ServiceHandle | null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (service && (service.child.exitCode !== null || service.child.signalCode !== null)) {
      throw new Error(`${service.app} exited before it was ready`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms: ${last}`);
}

/** A TCP port free on 127.0.0.1 right now (the kernel picks it). */
export const freePort = findFreePort;
