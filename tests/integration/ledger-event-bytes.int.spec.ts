import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TOPICS, canonicalJson } from '@rtp/contracts';
import { chainHash } from '@rtp/ledger/domain';
import { partitionBatch } from '@rtp/shared/kafka';
import { ProcessCommandBatchHandler } from '@rtp/ledger/application';
import type { PostgresLedgerStore } from '../../libs/ledger/infrastructure/src/postgres-ledger.store';
import { depositMessage, openAccountMessage } from '../support/ledger-commands';
import { openLedgerStore } from '../support/ledger-database';

describe('an event serialised once', () => {
  // A consumer group and a partition of its own: nothing else writes or publishes them.
  const group = `test-event-bytes-${randomUUID()}`;
  const partition = 20_000 + Math.floor(Math.random() * 10_000);
  let dataSource: DataSource;
  let store: PostgresLedgerStore;

  beforeAll(async () => {
    ({ dataSource, store } = await openLedgerStore());
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('is published right after the commit with the bytes a re-publication sends, which its hash covers', async () => {
    const handler = new ProcessCommandBatchHandler(store, group, () => new Date());
    await store.acquirePartition(group, TOPICS.ledgerCommands, partition);
    const accountId = `test-bytes-${randomUUID()}`;
    const depositId = randomUUID();
    const [{ outbox: published }] = await handler.handleMany([
      partitionBatch(
        TOPICS.ledgerCommands,
        partition,
        [openAccountMessage(accountId, 0), depositMessage(depositId, accountId, '250', 1)],
        0n,
      ),
    ]);

    const { records: republished } = await store.findUnpublished(partition, 10);

    expect(published.map((record) => record.messageType)).toEqual([
      'AccountOpened',
      'DepositCompleted',
    ]);
    expect(republished.map((record) => record.payloadJson)).toEqual(
      published.map((record) => record.payloadJson),
    );
    const rows: {
      event_id: string;
      sequence: string;
      type: string;
      data: unknown;
      hash: string;
    }[] = await dataSource.query(
      `SELECT event_id, sequence, type, data, hash FROM ledger.events
          WHERE account_id = $1 ORDER BY sequence`,
      [accountId],
    );
    expect(rows).toHaveLength(2);
    let previous = '';
    for (const [index, row] of rows.entries()) {
      const message = JSON.parse(published[index].payloadJson) as { data: unknown };
      expect(canonicalJson(message.data)).toBe(canonicalJson(row.data));
      const hash = chainHash(previous, {
        eventId: row.event_id,
        accountId,
        sequence: Number(row.sequence),
        type: row.type,
        data: row.data,
      });
      expect(row.hash).toBe(hash);
      previous = hash;
    }
  });
});
