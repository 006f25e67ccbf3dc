import { Pool } from 'undici';
import { BenchResources } from '../bench/bench-resources';
import { GatewayProcess } from './gateway-process';

/**
 * The ledger benchmark's resources plus the gateway and the load generator's connections,
 * released in reverse order: connections, gateway, then the ledger, Kafka, PostgreSQL and the
 * data folder as the ledger benchmark releases them.
 */
export class ApiBenchResources extends BenchResources {
  gateway: GatewayProcess | null = null;
  pool: Pool | null = null;

  constructor(
    dataDir: string,
    private readonly report: (message: string) => void,
  ) {
    super(dataDir, report);
  }

  /** Both services, so that their logs are complete before they are summarised. */
  async stopServices(graceMs?: number): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy().catch(() => undefined);
    const gateway = this.gateway;
    if (gateway) {
      this.report(`stopping the gateway (pid ${gateway.pid})`);
      await gateway
        .stop(graceMs)
        .catch((error: unknown) => this.report(`could not stop the gateway: ${String(error)}`));
      this.gateway = null;
    }
    await this.stopLedger(graceMs).catch((error: unknown) =>
      this.report(`could not stop the ledger: ${String(error)}`),
    );
  }

  /** For a second Ctrl-C: do not wait for graceful stops. */
  async killServices(): Promise<void> {
    await Promise.all([this.gateway?.kill(), this.killLedger()]);
  }

  override async release(options: { keep: boolean }): Promise<void> {
    await this.stopServices();
    await super.release(options);
  }
}
