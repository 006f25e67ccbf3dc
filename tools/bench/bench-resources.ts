import { rmSync } from 'node:fs';
import { Admin, Producer } from 'kafkajs';
import { Infrastructure } from './bench-infrastructure';
import { LedgerDatabase } from './ledger-database';
import { LedgerProcess } from './ledger-process';
import { StatementCounter } from './statement-counter';

/**
 * Everything the benchmark started, released in reverse order whatever happened: the ledger
 * first (it still talks to both), then our clients, Kafka, PostgreSQL and the data folder.
 */
export class BenchResources {
  ledger: LedgerProcess | null = null;
  producer: Producer | null = null;
  admin: Admin | null = null;
  database: LedgerDatabase | null = null;
  statements: StatementCounter | null = null;
  infrastructure: Infrastructure | null = null;

  constructor(
    readonly dataDir: string,
    private readonly log: (message: string) => void,
  ) {}

  async stopLedger(graceMs?: number): Promise<void> {
    const ledger = this.ledger;
    if (!ledger) return;
    this.log(`stopping the ledger (pid ${ledger.pid})`);
    await ledger.stop(graceMs);
    if (this.ledger === ledger) this.ledger = null;
  }

  /** For a second Ctrl-C: do not wait for the ledger's graceful stop. */
  async killLedger(): Promise<void> {
    await this.ledger?.kill();
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
    await attempt('the ledger', () => this.stopLedger());
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
