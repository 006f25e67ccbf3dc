import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LEDGER_EVENT_SCHEMAS, TOPICS } from '@rtp/contracts';
import { ProcessCommandBatchHandler } from '@rtp/ledger/application';
import { AccountState, StoredStreamEvent, disagreementWithEvents } from '@rtp/ledger/domain';
import { RowsQuery } from '@rtp/shared/database';
// The scenario the handler's unit test drives on the in-memory store, here on PostgreSQL.
import {
  MixedScenario,
  driveMixedScenario,
} from '../../libs/ledger/application/src/process-command-batch/mixed-ledger-scenario';
import { TestCommandFeed } from '../../libs/ledger/application/src/process-command-batch/test-commands';
import { selectAccounts } from '../../libs/ledger/infrastructure/src/postgres-store/account-rows';
import { LedgerDatabase, openLedgerStore } from '../support/ledger-database';

interface EventDbRow {
  event_id: string;
  account_id: string;
  sequence: string | null;
  type: string;
  data: unknown;
  hash: string | null;
}

describe('accounts rebuilt from the events table by the domain’s evolve', () => {
  // A consumer group, partitions (so system shards) and account ids of its own.
  const group = `test-rebuild-${randomUUID()}`;
  const prefix = `test-rebuild-${randomUUID()}-`;
  const base = 100_000 + Math.floor(Math.random() * 100_000) * 2;
  const partitions: [number, number] = [base, base + 1];
  const database = new LedgerDatabase();
  let dataSource: DataSource;
  let scenario: MixedScenario;
  let events: StoredStreamEvent[];

  const query: RowsQuery = (sql, parameters) => database.rows(sql, parameters);
  const customerIds = () => [...scenario.accounts.keys()];
  /** Each account's balance row (and open holds) as `read` reads it, against the events given. */
  const disagreements = async (read: RowsQuery, stored: StoredStreamEvent[]) => {
    const accounts: AccountState[] = await selectAccounts(read, customerIds());
    expect(accounts).toHaveLength(customerIds().length);
    return accounts
      .flatMap((account) => {
        const stream = stored.filter((event) => event.accountId === account.accountId);
        return disagreementWithEvents(account, stream) ?? [];
      })
      .sort();
  };

  beforeAll(async () => {
    await database.connect();
    const opened = await openLedgerStore();
    dataSource = opened.dataSource;
    const store = opened.store;
    const offsets = new Map<number, bigint>();
    for (const partition of partitions) {
      const stored = await store.acquirePartition(group, TOPICS.ledgerCommands, partition);
      offsets.set(partition, stored.nextOffset);
    }
    const handler = new ProcessCommandBatchHandler(store, group, () => new Date());
    const feed = new TestCommandFeed(new Date(), (partition) => offsets.get(partition)!);
    scenario = await driveMixedScenario(handler, feed, prefix, partitions);
    const rows = await database.rows<EventDbRow>(
      `SELECT event_id, account_id, sequence, type, data, hash FROM ledger.events
       WHERE account_id = ANY($1::text[])`,
      [[...customerIds(), scenario.missing]],
    );
    events = rows.map((row) => ({
      eventId: row.event_id,
      accountId: row.account_id,
      sequence: row.sequence === null ? null : Number(row.sequence),
      type: row.type,
      data: row.data,
      hash: row.hash,
    }));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database.end();
  });

  it('stored every type of event the contract has', () => {
    const types = new Set(events.map((event) => event.type));
    expect([...types].sort()).toEqual(Object.keys(LEDGER_EVENT_SCHEMAS).sort());
  });

  it('when each account is folded from its rows of ledger.events, it equals its ledger.accounts row', async () => {
    expect(await disagreements(query, events)).toEqual([]);
    const [{ total }] = await database.rows<{ total: string }>(
      `SELECT sum(posted_minor)::text AS total FROM ledger.accounts
       WHERE owner_partition = ANY($1::integer[]) OR account_id = ANY($2::text[])`,
      [partitions, customerIds()],
    );
    // The system shards of the two partitions hold exactly the opposite of the customers' money.
    expect(total).toBe('0');
  });

  it('finds a balance row changed behind the events', async () => {
    const accountId = `${prefix}c`;
    await database.rows('BEGIN');
    try {
      await database.rows(
        'UPDATE ledger.accounts SET posted_minor = posted_minor + 1 WHERE account_id = $1',
        [accountId],
      );
      expect(await disagreements(query, events)).toEqual([
        `${accountId}: postedMinor 621, events 620; availableMinor 621, events 620`,
      ]);
    } finally {
      await database.rows('ROLLBACK');
    }
    expect(await disagreements(query, events)).toEqual([]);
  });

  it('finds an event missing from a stream, at its end or in its middle', async () => {
    const [a, b] = [`${prefix}a`, `${prefix}b`];
    const lastOfB = events
      .filter((event) => event.accountId === b)
      .reduce((last, event) => (event.sequence! > last.sequence! ? event : last));
    const middleOfA = events.find((event) => event.accountId === a && event.sequence === 3);
    const dropped = events.filter((event) => event !== lastOfB && event !== middleOfA);
    expect(await disagreements(query, dropped)).toEqual([
      expect.stringMatching(new RegExp(`^${a}: StreamHasNoGaps violated`)),
      expect.stringMatching(new RegExp(`^${b}: .*sequence`)),
    ]);
  });

  it('finds an event whose stored data was altered', async () => {
    const altered = events.map((event) =>
      event.accountId === `${prefix}d` && event.type === 'AccountFrozen'
        ? { ...event, data: { ...(event.data as object), freeze: 'none' } }
        : event,
    );
    expect(await disagreements(query, altered)).toEqual([
      expect.stringMatching(new RegExp(`^${prefix}d: HashChainHolds violated`)),
    ]);
  });
});
