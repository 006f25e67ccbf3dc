import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ServiceHandle, services } from '../service-processes';

const STOP_GRACE_MS = 15_000;

/** The gateway as a real process (tools/services.cjs), like the ledger's LedgerProcess. */
export class GatewayProcess {
  private stopping: Promise<void> | null = null;

  private constructor(
    private readonly handle: ServiceHandle,
    readonly url: string,
    readonly logFile: string,
    readonly startSeconds: number,
  ) {}

  static async start(options: {
    repoRoot: string;
    logDir: string;
    port: number;
    env: Record<string, string>;
    readyTimeoutMs: number;
  }): Promise<GatewayProcess> {
    const url = `http://127.0.0.1:${options.port}`;
    const spawnedAt = performance.now();
    const handle = services.startService({
      repoRoot: options.repoRoot,
      app: 'gateway',
      logDir: options.logDir,
      env: { ...options.env, GATEWAY_PORT: String(options.port), LOG_LEVEL: 'warn' },
    });
    const logFile = join(options.logDir, 'gateway.log');
    try {
      await services.waitForReady(`${url}/health/ready`, options.readyTimeoutMs, handle);
    } catch (error) {
      await handle.stop(STOP_GRACE_MS);
      throw new Error(`gateway did not become ready (log: ${logFile})`, { cause: error });
    }
    return new GatewayProcess(handle, url, logFile, (performance.now() - spawnedAt) / 1_000);
  }

  get pid(): number {
    return this.handle.child.pid ?? 0;
  }

  alive(): boolean {
    return this.handle.child.exitCode === null && this.handle.child.signalCode === null;
  }

  /** SIGTERM, SIGKILL after the grace; once only. */
  stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.stopping ??= this.handle.stop(graceMs);
    return this.stopping;
  }

  async kill(): Promise<void> {
    if (this.alive()) await this.handle.kill('SIGKILL');
  }
}
