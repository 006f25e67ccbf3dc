import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceHandle, services } from '../../service-processes';

const READY_POLL_MS = 50;
const READY_REQUEST_TIMEOUT_MS = 2_000;

/** A service the benchmarks start: its app, the variable its port goes in, how long it may stop. */
export interface ServiceKind {
  app: 'ledger' | 'gateway';
  portVariable: string;
  stopGraceMs: number;
}

export const LEDGER: ServiceKind = {
  app: 'ledger',
  portVariable: 'LEDGER_PORT',
  stopGraceMs: 30_000,
};
export const GATEWAY: ServiceKind = {
  app: 'gateway',
  portVariable: 'GATEWAY_PORT',
  stopGraceMs: 15_000,
};

/**
 * A service as a real process (tools/services.ts) on a free port, logging warnings and errors
 * only, with its readiness timed closely.
 */
export class ServiceProcess {
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly kind: ServiceKind,
    private readonly handle: ServiceHandle,
    readonly url: string,
    readonly logFile: string,
    /** performance.now() when /health/ready first answered 200. */
    readonly readyAt: number,
    readonly startSeconds: number,
  ) {}

  static async start(options: {
    kind: ServiceKind;
    repoRoot: string;
    logDir: string;
    env: Record<string, string>;
    readyTimeoutMs: number;
    signal: AbortSignal;
  }): Promise<ServiceProcess> {
    const { kind } = options;
    const port = await services.freePort();
    const url = `http://127.0.0.1:${port}`;
    const spawnedAt = performance.now();
    const handle = services.startService({
      repoRoot: options.repoRoot,
      app: kind.app,
      logDir: options.logDir,
      env: { ...options.env, [kind.portVariable]: String(port), LOG_LEVEL: 'warn' },
    });
    const logFile = join(options.logDir, `${kind.app}.log`);
    try {
      await waitUntilReady(`${url}/health/ready`, handle, options.readyTimeoutMs, options.signal);
    } catch (error) {
      await handle.stop(kind.stopGraceMs);
      throw new Error(`${kind.app} did not become ready (log: ${logFile})`, { cause: error });
    }
    const readyAt = performance.now();
    return new ServiceProcess(kind, handle, url, logFile, readyAt, (readyAt - spawnedAt) / 1_000);
  }

  get name(): string {
    return this.kind.app;
  }

  get pid(): number {
    return this.handle.child.pid ?? 0;
  }

  alive(): boolean {
    return this.handle.child.exitCode === null && this.handle.child.signalCode === null;
  }

  exitDescription(): string {
    const { exitCode, signalCode } = this.handle.child;
    return signalCode ? `killed by ${signalCode}` : `exited with code ${exitCode}`;
  }

  /**
   * SIGTERM (the service leaves its groups and closes its connections), SIGKILL after the grace.
   * Once only: a second SIGTERM would interrupt the service's own shutdown.
   */
  stop(graceMs = this.kind.stopGraceMs): Promise<void> {
    this.stopping ??= this.handle.stop(graceMs);
    return this.stopping;
  }

  async kill(): Promise<void> {
    if (this.alive()) await this.handle.kill('SIGKILL');
  }
}

async function waitUntilReady(
  url: string,
  handle: ServiceHandle,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    signal.throwIfAborted();
    if (handle.child.exitCode !== null || handle.child.signalCode !== null) {
      throw new Error(`the ${handle.app} exited before it was ready`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(READY_REQUEST_TIMEOUT_MS) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(READY_POLL_MS);
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms: ${last}`);
}
