import { BenchDatabase } from './bench-database';

export interface ConnectionStates {
  samples: number;
  /**
   * Average number of the ledger's connections in each state: `active: CPU` (running, not
   * waiting), `active: <wait type>:<event>` (e.g. IO:WALSync), `idle in transaction` (waiting for
   * the ledger's next statement) and `idle` (in the pool, unused).
   */
  averageConnections: Record<string, number>;
}

/** Samples pg_stat_activity for the ledger's backends: where its database time goes. */
export class ConnectionStateSampler {
  private samples = 0;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly database: BenchDatabase,
    private readonly applicationName: string,
  ) {}

  async sample(): Promise<void> {
    const rows = await this.database.rows<{
      state: string | null;
      wait_type: string | null;
      wait: string | null;
    }>(
      `SELECT state, wait_event_type AS wait_type, wait_event AS wait FROM pg_stat_activity
       WHERE application_name = $1 AND backend_type = 'client backend'`,
      [this.applicationName],
    );
    this.samples += 1;
    for (const row of rows) {
      const state = row.state ?? 'unknown';
      const waiting = row.wait_type ? `active: ${row.wait_type}:${row.wait}` : 'active: CPU';
      const key = state === 'active' ? waiting : state;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  summary(): ConnectionStates {
    const averageConnections: Record<string, number> = {};
    const sorted = [...this.counts].sort((a, b) => b[1] - a[1]);
    for (const [key, count] of sorted) {
      averageConnections[key] = Math.round((count / this.samples) * 100) / 100;
    }
    return { samples: this.samples, averageConnections };
  }
}
