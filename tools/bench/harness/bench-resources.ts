import { rmSync } from 'node:fs';
import { Admin, Producer } from 'kafkajs';
import { Infrastructure } from './bench-infrastructure';
import { BenchDatabase } from './bench-database';
import { ServiceProcess } from './service-process';
import { StatementCounter } from './statement-counter';

/**
 * Everything a benchmark started, released in reverse order whatever happened: the load's
 * connections, then the services (last started first, as they still talk to both), our clients,
 * Kafka, PostgreSQL and the data folder.
 */
export class BenchResources {
  /** The running services by app, in the order they started. */
  readonly services = new Map<string, ServiceProcess>();
  /** Closed before the services stop (the load generator's connections). */
  load: { destroy(): Promise<unknown> } | null = null;
  producer: Producer | null = null;
  admin: Admin | null = null;
  database: BenchDatabase | null = null;
  statements: StatementCounter | null = null;
  infrastructure: Infrastructure | null = null;

  constructor(
    readonly dataDir: string,
    private readonly log: (message: string) => void,
  ) {}

  service(app: string): ServiceProcess | null {
    return this.services.get(app) ?? null;
  }

  async stopService(app: string, graceMs?: number): Promise<void> {
    const service = this.services.get(app);
    if (!service) return;
    this.log(`stopping the ${app} (pid ${service.pid})`);
    await service.stop(graceMs);
    if (this.services.get(app) === service) this.services.delete(app);
  }

  /** Every service, so that their logs are complete before they are summarised. */
  async stopServices(graceMs?: number): Promise<void> {
    const load = this.load;
    this.load = null;
    await load?.destroy().catch(() => undefined);
    for (const app of [...this.services.keys()].reverse()) {
      await this.stopService(app, graceMs).catch((error: unknown) =>
        this.log(`could not stop the ${app}: ${String(error)}`),
      );
    }
  }

  /** For a second Ctrl-C: do not wait for graceful stops. */
  async killServices(): Promise<void> {
    await Promise.all([...this.services.values()].map((service) => service.kill()));
  }

  async release(options: { keep: boolean }): Promise<void> {
    const attempt = async (what: string, action: () => Promise<unknown> | undefined) => {
      try {
        await action();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.log(`could not stop ${what}: ${reason}`);
      }
    };
    await this.stopServices();
    await attempt('the producer', () => this.producer?.disconnect());
    await attempt('the Kafka admin client', () => this.admin?.disconnect());
    await attempt('the database pool', () => this.database?.close());
    await attempt('the statistics pool', () => this.statements?.close());
    const infrastructure = this.infrastructure;
    if (infrastructure?.kafka) this.log('stopping Kafka');
    await attempt('Kafka', () => infrastructure?.kafka?.stop());
    if (options.keep) {
      // Otherwise its watchdog stops it as soon as this process exits.
      infrastructure?.postgres?.detach();
      this.printKept(infrastructure);
      return;
    }
    if (infrastructure?.postgres) this.log('stopping PostgreSQL');
    await attempt('PostgreSQL', () => infrastructure?.postgres?.stop());
    this.log(`removing ${this.dataDir}`);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private printKept(infrastructure: Infrastructure | null): void {
    if (!infrastructure) {
      this.log(`--keep: nothing was started; data folder ${this.dataDir}`);
      return;
    }
    const lines = [
      '',
      '--keep: the database is left in place.',
      `  export DATABASE_URL=${infrastructure.databaseUrl}`,
      '  npm run verify',
    ];
    if (infrastructure.postgres) {
      lines.push(
        `PostgreSQL (pid ${infrastructure.postgres.pid}) keeps running on ${this.dataDir};`,
        `when done: kill -INT ${infrastructure.postgres.pid} && rm -rf ${this.dataDir}`,
      );
    }
    console.log(lines.join('\n'));
  }
}
