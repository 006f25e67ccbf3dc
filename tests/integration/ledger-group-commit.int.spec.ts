import { randomUUID } from 'node:crypto';
import { KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { TOPICS, commandIds } from '@rtp/contracts';
import { GroupCommitter, PartitionBatch, partitionBatch } from '@rtp/shared/kafka';
import { PartitionFencedError, ProcessCommandBatchHandler } from '@rtp/ledger/application';
// By file, not from @rtp/ledger/infrastructure: that index loads NestJS 12 (ESM-only), which jest's
// CommonJS runtime cannot require.
import { PostgresLedgerStore } from '../../libs/ledger/infrastructure/src/postgres-ledger.store';
import { openAccountMessage } from '../support/ledger-commands';
import { openLedgerStore } from '../support/ledger-database';

describe("one ledger transaction carrying several partitions' batches", () => {
  // A consumer group of its own: its stored positions are separate from the running ledger's.
  const group = `test-group-commit-${randomUUID()}`;
  let dataSource: DataSource;
  let store: PostgresLedgerStore;
  let handler: ProcessCommandBatchHandler;

  const openAccount = openAccountMessage;
  const offsets = async () =>
    new Map(
      (
        (await dataSource.query(
          'SELECT partition, next_offset FROM ledger.consumer_offsets WHERE consumer_group = $1',
          [group],
        )) as { partition: number; next_offset: string }[]
      ).map((row) => [row.partition, Number(row.next_offset)]),
    );
  const opened = async (ids: string[]) =>
    (
      (await dataSource.query(
        'SELECT account_id FROM ledger.accounts WHERE account_id = ANY($1::text[]) ORDER BY account_id',
        [ids],
      )) as { account_id: string }[]
    ).map((row) => row.account_id);

  beforeAll(async () => {
    ({ dataSource, store } = await openLedgerStore());
    handler = new ProcessCommandBatchHandler(store, group, () => new Date());
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  describe("when another owner moved one partition's stored offset (fenced)", () => {
    it("commits nothing of the group, then the other partitions' batches on the retry", async () => {
      const partitions = [9, 10, 11];
      for (const partition of partitions)
        await store.acquirePartition(group, TOPICS.ledgerCommands, partition);
      const accounts = partitions.map((partition) => `test-group-${partition}-${randomUUID()}`);
      const batches: PartitionBatch[] = partitions.map((partition, index) =>
        partitionBatch(TOPICS.ledgerCommands, partition, [openAccount(accounts[index], 0)], 0n),
      );
      // The "other owner" of partition 10 has moved on to offset 5.
      await dataSource.query(
        `UPDATE ledger.consumer_offsets SET next_offset = 5
        WHERE consumer_group = $1 AND partition = 10`,
        [group],
      );
      const transactions: number[][] = [];
      const committer = new GroupCommitter(async (group) => {
        transactions.push(group.map((batch) => batch.partition));
        await handler.handleMany(group.map((batch) => ({ ...batch })));
      }, 10);

      const results = await Promise.allSettled(batches.map((batch) => committer.submit(batch)));

      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const refusal = (results[1] as PromiseRejectedResult).reason;
      expect(refusal).toBeInstanceOf(PartitionFencedError);
      expect((refusal as PartitionFencedError).fencedPartitions).toEqual([10]);
      expect(transactions).toEqual([
        [9, 10, 11],
        [9, 11],
      ]);
      expect(await opened(accounts)).toEqual([accounts[0], accounts[2]].sort());
      expect(await offsets()).toEqual(
        new Map([
          [9, 1],
          [10, 5],
          [11, 1],
        ]),
      );
    });
  });

  it("writes every partition's rows with their own partition in one transaction", async () => {
    const partitions = [7, 8];
    for (const partition of partitions)
      await store.acquirePartition(group, TOPICS.ledgerCommands, partition);
    const accounts = partitions.map((partition) => `test-group-${partition}-${randomUUID()}`);
    const results = await handler.handleMany(
      partitions.map((partition, index) =>
        partitionBatch(TOPICS.ledgerCommands, partition, [openAccount(accounts[index], 0)], 0n),
      ),
    );
    expect(results.map(({ outbox }) => outbox.map((record) => record.sourcePartition))).toEqual([
      [7],
      [8],
    ]);
    const rows = (await dataSource.query(
      'SELECT account_id, owner_partition FROM ledger.accounts WHERE account_id = ANY($1::text[])',
      [accounts],
    )) as { account_id: string; owner_partition: number }[];
    expect(new Map(rows.map((row) => [row.account_id, row.owner_partition]))).toEqual(
      new Map([
        [accounts[0], 7],
        [accounts[1], 8],
      ]),
    );
  });
});
