import { Pool } from 'pg';
import { round } from './machine-info';

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
  /** Per normalised statement (queryid): what the cost table's statement breakdown compares. */
  byStatement: Map<string, StatementTotals>;
}

export interface StatementTotals {
  /** The normalised text, whitespace collapsed, cut to STATEMENT_TEXT_MAX characters. */
  text: string;
  calls: number;
  executionMs: number;
  rows: number;
}

const STATEMENT_TEXT_MAX = 160;

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
      connectionString: url.toString(),
      max: 1,
      application_name: 'bench-statements',
      statement_timeout: STATEMENT_TIMEOUT_MS,
      connectionTimeoutMillis: 10_000,
    });
    try {
      // A server the benchmark did not start may lack the library: then leave it as it is.
      const {
        rows: [loaded],
      } = await pool.query<{ libraries: string }>(
        "SELECT current_setting('shared_preload_libraries') AS libraries",
      );
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
    const [
      {
        rows: [info],
      },
      { rows },
    ] = await Promise.all([
      this.pool.query<{ deallocations: string }>(
        'SELECT dealloc AS deallocations FROM pg_stat_statements_info',
      ),
      // One row per statement and user: summed by queryid, the text shortened on the server.
      this.pool.query<{ id: string; text: string; calls: string; ms: number; rows: string }>(
        `SELECT s.queryid::text AS id, min(left(regexp_replace(s.query, '\\s+', ' ', 'g'), $2)) AS text,
                sum(s.calls) AS calls, sum(s.total_exec_time) AS ms, sum(s.rows) AS rows
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
          WHERE d.datname = $1 GROUP BY s.queryid`,
        [this.databaseName, STATEMENT_TEXT_MAX],
      ),
    ]);
    const byStatement = new Map<string, StatementTotals>();
    let calls = 0;
    for (const row of rows) {
      const totals = {
        text: row.text,
        calls: Number(row.calls),
        executionMs: Number(row.ms),
        rows: Number(row.rows),
      };
      byStatement.set(row.id, totals);
      calls += totals.calls;
    }
    return { calls, deallocations: Number(info.deallocations), byStatement };
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}

/** A statement's share of a window: per unit of work, and its mean time. */
export interface StatementCost {
  text: string;
  callsPerUnit: number;
  rowsPerCall: number;
  meanMs: number;
  /** Execution time inside PostgreSQL per unit, in microseconds (planning and commit not included). */
  executionMicrosecondsPerUnit: number;
}

/** The statements called most in the window, `limit` of them, by calls. */
export function statementBreakdown(
  before: StatementCount,
  after: StatementCount,
  units: number,
  limit: number,
): StatementCost[] {
  const costs: (StatementCost & { calls: number })[] = [];
  for (const [id, end] of after.byStatement) {
    const start = before.byStatement.get(id);
    const calls = end.calls - (start?.calls ?? 0);
    if (calls <= 0 || units <= 0) continue;
    const executionMs = end.executionMs - (start?.executionMs ?? 0);
    const rows = end.rows - (start?.rows ?? 0);
    costs.push({
      text: end.text,
      calls,
      callsPerUnit: round(calls / units, 4),
      rowsPerCall: round(rows / calls, 2),
      meanMs: round(executionMs / calls, 3),
      executionMicrosecondsPerUnit: round((executionMs * 1_000) / units, 1),
    });
  }
  return costs
    .sort((a, b) => b.calls - a.calls)
    .slice(0, limit)
    .map(({ calls: _calls, ...cost }) => cost);
}
