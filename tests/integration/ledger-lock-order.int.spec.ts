import { randomUUID } from 'node:crypto';
import { Client, Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { TOPICS } from '@rtp/contracts';
import { ConsumerPositions } from '@rtp/shared/database';
import type { PostgresLedgerStore } from '../../libs/ledger/infrastructure/src/postgres-ledger.store';
import { openLedgerStore } from '../support/ledger-database';
import { inTransaction } from '../support/pg-transaction';
import { requireEnv } from '../support/platform';

const WAIT_MS_MAX = 5_000;

/**
 * Each scenario queues two statements behind a row lock so that, were rows taken in the order they
 * are given, the first would hold one row and wait for the other while the second holds that one:
 * a deadlock. Taken in key order, both wait for the same first row and one follows the other.
 */
describe('statements that several ledger transactions run on the same rows', () => {
  let owner: Client;
  let pool: Pool;
  let dataSource: DataSource;
  let store: PostgresLedgerStore;

  /** Resolves once `count` sessions of this test wait for a lock. */
  const lockWaiters = async (count: number) => {
    const deadline = Date.now() + WAIT_MS_MAX;
    for (;;) {
      const { rows } = await owner.query(`SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE application_name = 'test-lock-order' AND wait_event_type = 'Lock'`);
      if (rows[0].waiting >= count) return;
      if (Date.now() > deadline) throw new Error(`fewer than ${count} sessions wait for a lock`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  beforeAll(async () => {
    const url = requireEnv('DATABASE_URL');
    // Migrated first: the sessions below use the ledger's tables.
    ({ dataSource, store } = await openLedgerStore({
      applicationName: 'test-lock-order',
      poolSizeMax: 4,
    }));
    owner = new Client({ connectionString: url });
    await owner.connect();
    pool = new Pool({ connectionString: url, max: 4, application_name: 'test-lock-order' });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await pool?.end();
    await owner?.end();
  });

  describe('when a batch and the idle-partition timer record published positions at once', () => {
    it('takes the rows in partition order and neither deadlocks', async () => {
      // Partitions no ledger uses, so the test owns their rows.
      const low = 9_000 + Math.floor(Math.random() * 900) * 2;
      const high = low + 1;
      const position = (partition: number, through: string) => ({
        partition,
        eventsThrough: through,
        outboxThrough: through,
      });
      await store.markPublished([position(low, '1'), position(high, '1')]);
      const blocker = await pool.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(
          'SELECT 1 FROM ledger.outbox_positions WHERE source_partition = $1 FOR UPDATE',
          [low],
        );
        const lowFirst = store.markPublished([position(low, '2'), position(high, '2')]);
        await lockWaiters(1);
        const highFirst = store.markPublished([position(high, '3'), position(low, '3')]);
        await lockWaiters(2);
        await blocker.query('COMMIT');
        await expect(Promise.all([lowFirst, highFirst])).resolves.toBeDefined();
      } finally {
        blocker.release();
      }
      const { rows } = await owner.query(
        `SELECT events_published_through AS through
        FROM ledger.outbox_positions WHERE source_partition = ANY($1) ORDER BY source_partition`,
        [[low, high]],
      );
      expect(rows.map((row) => row.through)).toEqual(['3', '3']);
    });
  });

  describe('when a former owner and the new one advance overlapping partitions at once', () => {
    it('takes the offset rows in partition order: one commits, the other is fenced', async () => {
      const group = `test-lock-order-${randomUUID()}`;
      const positions = new ConsumerPositions('ledger', group);
      const query = (client: Pool | PoolClient) => async (sql: string, parameters: unknown[]) =>
        (await client.query(sql, parameters)).rows as Record<string, unknown>[];
      for (const partition of [1, 2])
        await positions.acquire(query(pool), TOPICS.ledgerCommands, partition);
      const advance = (partition: number) => ({
        topic: TOPICS.ledgerCommands,
        partition,
        fromOffset: 0n,
        toOffset: 1n,
        lastMessageIdentity: `m-${partition}`,
      });
      const blocker = await pool.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(
          `SELECT 1 FROM ledger.consumer_offsets
          WHERE consumer_group = $1 AND partition = 1 FOR UPDATE`,
          [group],
        );
        const lowFirst = inTransaction(pool, (client) =>
          positions.advance(query(client), [advance(1), advance(2)], new Date()),
        );
        await lockWaiters(1);
        const highFirst = inTransaction(pool, (client) =>
          positions.advance(query(client), [advance(2), advance(1)], new Date()),
        );
        await lockWaiters(2);
        await blocker.query('COMMIT');
        const fenced = await Promise.all([lowFirst, highFirst]);
        expect(fenced.map((partitions) => [...partitions].sort())).toEqual([[], [1, 2]]);
      } finally {
        blocker.release();
      }
    });
  });
});
