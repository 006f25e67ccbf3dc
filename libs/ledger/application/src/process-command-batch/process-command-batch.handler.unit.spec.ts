import { PartitionFencedError } from './ledger-store.port';
import { InMemoryLedgerStore } from './in-memory-ledger.store';
import { ProcessCommandBatchHandler } from './process-command-batch.handler';
import { TestCommandFeed, testCommands } from './test-commands';

const AT = new Date('2026-12-01T12:00:00Z');
const { open, deposit, transfer } = testCommands;

describe('ProcessCommandBatchHandler', () => {
  let store: InMemoryLedgerStore;
  let handler: ProcessCommandBatchHandler;
  let batch: TestCommandFeed['batch'];

  beforeEach(async () => {
    store = new InMemoryLedgerStore();
    handler = new ProcessCommandBatchHandler(store, 'ledger', () => AT);
    const feed = new TestCommandFeed(AT, (partition) => store.offsets.get(partition) ?? 0n);
    batch = feed.batch.bind(feed);
    // Given an account holding 100 on partition 0
    await handler.handleMany([batch(0, open('a'), deposit('d1', 'a', '100'))]);
  });

  describe('given an account holding 100', () => {
    it('when a transfer of more is handled, then it is refused with insufficient_funds and nothing moves', async () => {
      await handler.handleMany([batch(0, transfer('p1', 'a', 'b', '150'))]);
      const rejected = store.events.find((event) => event.type === 'TransferRejected');
      expect(JSON.parse(rejected!.dataJson)).toMatchObject({
        paymentId: 'p1',
        failureCode: 'insufficient_funds',
      });
      expect(store.balanceOf('a')).toEqual({ posted: 100n, pending: 0n });
    });

    it('when its deposit is delivered again in a later batch, then it counts as a duplicate', async () => {
      const [result] = await handler.handleMany([batch(0, deposit('d1', 'a', '100'))]);
      expect(result.counts).toEqual({ applied: 0, duplicate: 1, dead_letter: 0 });
      expect(store.balanceOf('a')).toEqual({ posted: 100n, pending: 0n });
    });

    it('when one command comes twice within a group, then it is applied once', async () => {
      const [first, second] = await handler.handleMany([
        batch(0, deposit('d2', 'a', '5')),
        batch(1, deposit('d2', 'a', '5')),
      ]);
      expect(first.counts.applied + second.counts.applied).toBe(1);
      expect(store.balanceOf('a')).toEqual({ posted: 105n, pending: 0n });
    });

    it('when an undecodable message is handled, then it is dead-lettered and the partition moves on', async () => {
      const bad = batch(0, deposit('d3', 'a', '5'));
      bad.messages[0].value = Buffer.from('{not json');
      const [result] = await handler.handleMany([bad]);
      expect(result.counts).toEqual({ applied: 0, duplicate: 0, dead_letter: 1 });
      expect(result.outbox.map((record) => record.topic)).toEqual(['ledger.commands.dlq.v1']);
      expect(store.offsets.get(0)).toBe(bad.toOffset);
    });
  });

  describe('given a group of two partitions, one of them owned by another consumer meanwhile', () => {
    it('when the group commits, then it is fenced on that partition and nothing of the group is written', async () => {
      const mine = batch(1, open('c'));
      const taken = batch(0, deposit('d4', 'a', '7'));
      store.offsets.set(0, taken.fromOffset + 10n);
      const error = await handler.handleMany([mine, taken]).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PartitionFencedError);
      expect((error as PartitionFencedError).fencedPartitions).toEqual([0]);
      expect(store.accounts.has('c')).toBe(false);
      // Retried without the fenced partition, the other commits; the handler reloads its accounts.
      await handler.handleMany([mine]);
      expect(store.accounts.has('c')).toBe(true);
      expect(store.balanceOf('a')).toEqual({ posted: 100n, pending: 0n });
    });
  });
});
