import { Pool } from 'pg';

const STATEMENT_TIMEOUT_MS = 30_000;

/** Server settings the benchmarks start their own PostgreSQL with, to count statements. */
export const STATEMENT_STATISTICS_SETTINGS: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements',
  // Twice the default: a multi-row statement is one entry per row count, and an evicted entry's
  // calls are lost (the eviction count says when that happened).
  'pg_stat_statements.max': '10000',
  'pg_stat_statements.track': 'top',
};

export interface StatementCount {
  /** Statements executed in the platform's database so far, BEGIN and COMMIT included. */
  calls: number;
  /** Entries pg_stat_statements evicted so far (cluster-wide): calls were lost if it moved. */
  deallocations: number;
}

/**
 * Reads pg_stat_statements for the platform's database from the maintenance database
 * `postgres`, where the extension is created, so that the platform's own database is untouched.
 */
export class StatementCounter {
  private constructor(
    private readonly pool: Pool | null,
    private readonly databaseName: string,
    /** Why there are no statement counts; null when there are. */
    readonly unavailable: string | null,
  ) {}

  static async open(databaseUrl: string): Promise<StatementCounter> {
    const url = new URL(databaseUrl);
    const databaseName = decodeURIComponent(url.pathname.slice(1));
    url.pathname = '/postgres';
    const pool = new Pool({
      connectionString: url.toString(), max: 1, application_name: 'bench-statements',
      statement_timeout: STATEMENT_TIMEOUT_MS, connectionTimeoutMillis: 10_000,
    });
    try {
      // A server the benchmark did not start may lack the library: then leave it as it is.
      const { rows: [loaded] } = await pool.query<{ libraries: string }>(
        "SELECT current_setting('shared_preload_libraries') AS libraries");
      if (!/(^|[\s,])pg_stat_statements($|[\s,])/.test(loaded.libraries)) {
        throw new Error('the server does not preload it (shared_preload_libraries)');
      }
      await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      const counter = new StatementCounter(pool, databaseName, null);
      await counter.read();
      return counter;
    } catch (error) {
      await pool.end().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      return new StatementCounter(null, databaseName, `pg_stat_statements unavailable: ${reason}`);
    }
  }

  async read(): Promise<StatementCount | null> {
    if (!this.pool) return null;
    const { rows: [row] } = await this.pool.query<{ calls: string; deallocations: string }>(
      `SELECT (SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s
                JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1) AS calls,
              (SELECT dealloc FROM pg_stat_statements_info) AS deallocations`,
      [this.databaseName]);
    return { calls: Number(row.calls), deallocations: Number(row.deallocations) };
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}
