import { randomUUID } from 'node:crypto';
import { KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { TOPICS, commandIds } from '@rtp/contracts';
import { partitionBatch } from '@rtp/shared/kafka';
import { ProcessCommandBatchHandler } from '@rtp/ledger/application';
import type { PostgresLedgerStore } from '../../libs/ledger/infrastructure/src/postgres-ledger.store';
import { commandMessage, depositMessage, openAccountMessage } from '../support/ledger-commands';
import { openLedgerStore } from '../support/ledger-database';

describe('a command delivered again after its effects committed', () => {
  // A consumer group and partitions of its own: their stored positions are this test's.
  const group = `test-dedupe-${randomUUID()}`;
  const partitions = [30_000 + Math.floor(Math.random() * 10_000) * 2];
  partitions.push(partitions[0] + 1);
  let dataSource: DataSource;
  let store: PostgresLedgerStore;
  let handler: ProcessCommandBatchHandler;

  const command =
    (id: string, type: string, key: string, data: Record<string, unknown>) =>
    (offset: number): KafkaMessage =>
      commandMessage(id, type, key, data, offset);
  const batchOf = (
    partition: number,
    fromOffset: number,
    commands: ((offset: number) => KafkaMessage)[],
  ) =>
    partitionBatch(
      TOPICS.ledgerCommands,
      partition,
      commands.map((make, index) => make(fromOffset + index)),
      BigInt(fromOffset),
    );
  const count = async (sql: string, parameters: unknown[]) =>
    Number(((await dataSource.query(sql, parameters)) as { count: string }[])[0].count);

  beforeAll(async () => {
    ({ dataSource, store } = await openLedgerStore());
    handler = new ProcessCommandBatchHandler(store, group, () => new Date());
    for (const partition of partitions)
      await store.acquirePartition(group, TOPICS.ledgerCommands, partition);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('is not applied twice, whether it produced an event or only a follow-up command', async () => {
    const accountId = `test-dedupe-${randomUUID()}`;
    const missingAccountId = `test-dedupe-missing-${randomUUID()}`;
    const depositId = randomUUID();
    const paymentId = randomUUID();
    const open = (offset: number) => openAccountMessage(accountId, offset);
    const deposit = (offset: number) => depositMessage(depositId, accountId, '500', offset);
    // Refused (no such destination): no event, only a refund command for the source's partition.
    const credit = command(
      commandIds.creditTransfer(paymentId),
      'CreditTransfer',
      missingAccountId,
      {
        paymentId,
        sourceAccountId: accountId,
        destinationAccountId: missingAccountId,
        amountMinor: '100',
        currency: 'EUR',
      },
    );
    const [partition] = partitions;

    const [first] = await handler.handleMany([batchOf(partition, 0, [open, deposit, credit])]);
    // A new handler, as after a restart: nothing of the first delivery is in memory.
    const restarted = new ProcessCommandBatchHandler(store, group, () => new Date());
    const [again] = await restarted.handleMany([batchOf(partition, 3, [deposit, credit, open])]);

    expect(first.counts).toEqual({ applied: 3, duplicate: 0, dead_letter: 0 });
    expect(first.outbox.map((record) => record.messageType)).toEqual([
      'AccountOpened',
      'DepositCompleted',
      'RefundTransfer',
    ]);
    expect(again.counts).toEqual({ applied: 0, duplicate: 3, dead_letter: 0 });
    expect(again.outbox).toEqual([]);
    expect(
      await count('SELECT count(*) FROM ledger.events WHERE command_id = $1', [
        commandIds.deposit(depositId),
      ]),
    ).toBe(1);
    expect(
      await count('SELECT count(*) FROM ledger.outbox WHERE message_id = $1', [
        commandIds.refundTransfer(paymentId),
      ]),
    ).toBe(1);
    expect(
      await count('SELECT count(*) FROM ledger.entries WHERE account_id = $1', [accountId]),
    ).toBe(1);
    expect(
      await count('SELECT posted_minor AS count FROM ledger.accounts WHERE account_id = $1', [
        accountId,
      ]),
    ).toBe(500);
    expect(
      await count(
        `SELECT next_offset AS count FROM ledger.consumer_offsets
      WHERE consumer_group = $1 AND partition = $2`,
        [group, partition],
      ),
    ).toBe(6);
  });

  describe('when the same command comes in two batches of one group', () => {
    it('is applied once, and the other batch counts it as a duplicate', async () => {
      const accountId = `test-dedupe-group-${randomUUID()}`;
      const depositId = randomUUID();
      const [one, other] = partitions;
      const offsets = new Map(
        (
          (await dataSource.query(
            `SELECT partition, next_offset FROM ledger.consumer_offsets
        WHERE consumer_group = $1`,
            [group],
          )) as { partition: number; next_offset: string }[]
        ).map((row) => [row.partition, Number(row.next_offset)]),
      );
      await handler.handleMany([
        batchOf(one, offsets.get(one)!, [(offset) => openAccountMessage(accountId, offset)]),
      ]);
      const deposit = (offset: number) => depositMessage(depositId, accountId, '70', offset);

      const results = await handler.handleMany([
        batchOf(one, offsets.get(one)! + 1, [deposit]),
        batchOf(other, offsets.get(other)!, [deposit]),
      ]);

      expect(results.map(({ counts }) => counts)).toEqual([
        { applied: 1, duplicate: 0, dead_letter: 0 },
        { applied: 0, duplicate: 1, dead_letter: 0 },
      ]);
      expect(
        await count('SELECT count(*) FROM ledger.events WHERE command_id = $1', [
          commandIds.deposit(depositId),
        ]),
      ).toBe(1);
    });
  });
});
