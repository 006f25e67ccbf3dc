import { Pool } from 'pg';

const STATEMENT_TIMEOUT_MS = 60_000;
/** TOPIC_PARTITIONS' upper bound (libs/shared/config). */
const TOPIC_PARTITIONS_MAX = 1_000;

/**
 * Read-only queries on the platform's schemas and PostgreSQL's statistics, for the benchmarks; each
 * one is counted, so that the cost tables can take the benchmark's own transactions out.
 */
export class BenchDatabase {
  private readonly pool: Pool;
  /** The benchmark's own queries, to take out of the platform's commits and statements. */
  private queries = 0;

  constructor(databaseUrl: string) {
    this.pool = new Pool({
      connectionString: databaseUrl,
      max: 2,
      application_name: 'ledger-bench',
      statement_timeout: STATEMENT_TIMEOUT_MS,
      connectionTimeoutMillis: 10_000,
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Queries sent so far: each is a transaction of its own, counted in the platform's commits. */
  get queriesSent(): number {
    return this.queries;
  }

  async rows<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    this.queries += 1;
    return (await this.pool.query(sql, parameters)).rows as T[];
  }

  /** next_offset per partition of `topic`, as stored with the ledger's effects. */
  async storedOffsets(consumerGroup: string, topic: string): Promise<Map<number, bigint>> {
    const rows = await this.rows<{ partition: number; next_offset: string }>(
      `SELECT partition, next_offset FROM ledger.consumer_offsets
       WHERE consumer_group = $1 AND topic = $2`,
      [consumerGroup, topic],
    );
    return new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
  }

  /**
   * Events and outbox rows (follow-up commands) stored but not yet published. Counted partition by
   * partition along the (partition, position) indexes, so that a poll stays cheap with millions of
   * events; every partition number a topic may have is tried, a partition without a position row
   * having published nothing. The outbox side is a row comparison so that the planner takes the
   * (partition, id) index: with `outbox_id > x` alone it scanned the primary key from the lowest
   * partition's position, 0.4 s a poll under load and most of PostgreSQL's time in bench:api.
   */
  async unpublishedOutbox(): Promise<number> {
    const [row] = await this.rows<{ count: number }>(
      `SELECT coalesce(sum(outbox.n + events.n), 0)::int AS count
       FROM generate_series(0, ${TOPIC_PARTITIONS_MAX - 1}) AS s(partition)
       LEFT JOIN ledger.outbox_positions p ON p.source_partition = s.partition
       CROSS JOIN LATERAL (SELECT count(*) AS n FROM ledger.outbox o
         WHERE (o.source_partition, o.outbox_id) > (s.partition, COALESCE(p.published_through, 0))
           AND o.source_partition = s.partition) outbox
       CROSS JOIN LATERAL (SELECT count(*) AS n FROM ledger.events e
         WHERE e.source_partition = s.partition
           AND e.publication_position > COALESCE(p.events_published_through, 0)) events`,
    );
    return row.count;
  }

  async settings(): Promise<Record<string, string>> {
    const rows = await this.rows<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN
       ('server_version', 'fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes',
        'shared_buffers', 'track_wal_io_timing', 'max_wal_size', 'checkpoint_timeout')`,
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
  }

  /** Times WAL writes and fsyncs in pg_stat_wal, cluster-wide; only for a cluster we own. */
  async enableWalTiming(): Promise<void> {
    await this.rows('ALTER SYSTEM SET track_wal_io_timing = on');
    await this.rows('SELECT pg_reload_conf()');
  }

  async backendPid(): Promise<number> {
    const [row] = await this.rows<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return row.pid;
  }
}
