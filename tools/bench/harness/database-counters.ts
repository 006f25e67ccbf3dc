import { BenchDatabase } from './bench-database';
import { round } from './machine-info';

/** PostgreSQL's cumulative counters of the platform's database, for deltas over a window. */
export interface DatabaseCounters {
  commits: number;
  rollbacks: number;
  /** tup_inserted + tup_updated + tup_deleted of the platform's database. */
  rowsWritten: number;
  /** pg_stat_wal's count, which backends flush lazily. */
  walBytes: number;
  /** The WAL insert position in bytes: exact at any instant, cluster-wide. */
  walPositionBytes: number;
  /** Queries this pool had sent before the read: each is a transaction of its own. */
  benchQueries: number;
  walSyncs: number | null;
  walSyncMs: number | null;
  checkpoints: number;
}

export async function readDatabaseCounters(pool: BenchDatabase): Promise<DatabaseCounters> {
  const benchQueries = pool.queriesSent;
  const [database] = await pool.rows<{
    xact_commit: string;
    xact_rollback: string;
    rows_written: string;
    wal_position: string;
  }>(
    `SELECT xact_commit, xact_rollback, tup_inserted + tup_updated + tup_deleted AS rows_written,
       pg_current_wal_insert_lsn() - '0/0' AS wal_position
     FROM pg_stat_database WHERE datname = current_database()`,
  );
  const [wal] = await pool.rows<Record<string, string | null>>('SELECT * FROM pg_stat_wal');
  const [writer] = await pool.rows<{ checkpoints: string }>(
    'SELECT checkpoints_timed + checkpoints_req AS checkpoints FROM pg_stat_bgwriter',
  );
  const number = (value: string | null | undefined) =>
    value === null || value === undefined ? null : Number(value);
  return {
    commits: Number(database.xact_commit),
    rollbacks: Number(database.xact_rollback),
    rowsWritten: Number(database.rows_written),
    walBytes: Number(wal.wal_bytes),
    walPositionBytes: Number(database.wal_position),
    benchQueries,
    walSyncs: number(wal.wal_sync),
    walSyncMs: number(wal.wal_sync_time),
    checkpoints: Number(writer.checkpoints),
  };
}

/** PostgreSQL's commits, WAL and fsyncs over a window. */
export interface DatabaseFigures {
  /** Transactions committed in the database, read-only ones (the benchmark's polls) included. */
  commits: number;
  commitsPerSecond: number;
  walMiB: number;
  checkpoints: number;
  walSyncs: number | null;
  walSyncMeanMs: number | null;
  walSyncBusyPercent: number | null;
}

export function databaseFigures(
  start: DatabaseCounters,
  end: DatabaseCounters,
  seconds: number,
): DatabaseFigures {
  const syncs = nullableDelta(start.walSyncs, end.walSyncs);
  const syncMs = nullableDelta(start.walSyncMs, end.walSyncMs);
  const commits = end.commits - start.commits;
  return {
    commits,
    commitsPerSecond: round(commits / seconds, 1),
    checkpoints: end.checkpoints - start.checkpoints,
    walMiB: round((end.walBytes - start.walBytes) / 2 ** 20, 1),
    walSyncs: syncs,
    walSyncMeanMs: syncs && syncMs !== null ? round(syncMs / syncs, 3) : null,
    walSyncBusyPercent: syncMs === null ? null : round((syncMs / (seconds * 1_000)) * 100, 1),
  };
}

function nullableDelta(start: number | null, end: number | null): number | null {
  return start === null || end === null ? null : end - start;
}
