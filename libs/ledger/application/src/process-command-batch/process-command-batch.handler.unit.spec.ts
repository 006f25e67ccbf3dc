import { PartitionFencedError } from './ledger-store.port';
import { InMemoryLedgerStore } from './in-memory-ledger.store';
import { ProcessCommandBatchHandler } from './process-command-batch.handler';
import { TestCommandFeed, testCommands } from './test-commands';

const AT = new Date('2026-12-01T12:00:00Z');
const { open, deposit, transfer, reserve, settle, returnPayout } = testCommands;

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

  describe('given a payout of 60 reserved', () => {
    beforeEach(async () => {
      await handler.handleMany([batch(0, reserve('p1', 'a', '60'))]);
    });

    it('when it settles and the bank returns it in the same batch, then the customer is credited back', async () => {
      await handler.handleMany([batch(0, settle('p1', 'a'), returnPayout('p1', 'a', '60'))]);
      expect(store.events.map((event) => event.type)).toContain('PayoutReturned');
      expect(store.balanceOf('a')).toEqual({ posted: 100n, pending: 0n });
    });

    it('when the return is delivered twice in later batches, then it is applied once', async () => {
      await handler.handleMany([batch(0, settle('p1', 'a'))]);
      await handler.handleMany([batch(0, returnPayout('p1', 'a', '60'))]);
      const [again] = await handler.handleMany([batch(0, returnPayout('p1', 'a', '60'))]);
      expect(again.counts).toEqual({ applied: 0, duplicate: 1, dead_letter: 0 });
      expect(store.events.filter((event) => event.type === 'PayoutReturned')).toHaveLength(1);
      expect(store.balanceOf('a')).toEqual({ posted: 100n, pending: 0n });
    });

    it('when it is returned before it settled, then the return is refused and nothing moves', async () => {
      await handler.handleMany([batch(0, returnPayout('p1', 'a', '60'))]);
      const refused = store.events.find((event) => event.type === 'AccountCommandRejected');
      expect(JSON.parse(refused!.dataJson)).toMatchObject({ failureCode: 'payout_not_settled' });
      expect(store.balanceOf('a')).toEqual({ posted: 100n, pending: 60n });
    });

    it('when a return comes under another command id, then it is dead-lettered', async () => {
      await handler.handleMany([batch(0, settle('p1', 'a'))]);
      const other = { ...returnPayout('p1', 'a', '60'), id: 'another-id' };
      const [result] = await handler.handleMany([batch(0, other)]);
      expect(result.counts).toEqual({ applied: 0, duplicate: 0, dead_letter: 1 });
      expect(store.balanceOf('a')).toEqual({ posted: 40n, pending: 0n });
    });
  });

  describe('given a batch still committing when the partition passes to the other consumer', () => {
    it('when that commit fails, then the new owner decides without its effects and nothing is applied twice', async () => {
      let fail!: () => void;
      const held = new Promise<void>((resolve) => (fail = resolve));
      jest.spyOn(store, 'commitBatches').mockImplementationOnce(async () => {
        await held;
        throw new Error('the consumer left the group');
      });
      const fetched = batch(0, deposit('d5', 'a', '30'));
      const first = handler.handleMany([fetched]).catch((e) => e);
      await new Promise((resolve) => setImmediate(resolve));
      // The same messages, fetched again by the partition's new owner from the stored position.
      const second = handler.handleMany([fetched]);
      fail();
      expect(await first).toBeInstanceOf(Error);
      await second;
      expect(store.balanceOf('a')).toEqual({ posted: 130n, pending: 0n });
    });

    it('when both are handed over in one turn, then the second waits and decides nothing twice', async () => {
      // The store takes its time over the first commit, as PostgreSQL does: the accounts it was
      // given are read when it writes them, after the second batch could have decided.
      const original = store.commitBatches.bind(store);
      jest.spyOn(store, 'commitBatches').mockImplementationOnce(async (writes) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return original(writes);
      });
      const fetched = batch(0, deposit('d8', 'a', '30'));
      // Two groups started together (GroupCommitter.start), the old and the new owner's copy.
      const first = handler.handleMany([fetched]);
      const second = handler.handleMany([fetched]).catch((e: unknown) => e);
      await first;
      expect(await second).toBeInstanceOf(PartitionFencedError);
      expect(store.balanceOf('a')).toEqual({ posted: 130n, pending: 0n });
    });

    it('when that commit succeeds, then the new owner is fenced instead of deciding twice', async () => {
      const fetched = batch(0, deposit('d6', 'a', '30'));
      const first = handler.handleMany([fetched]);
      const second = handler.handleMany([fetched]);
      await first;
      expect(await second.catch((e: unknown) => e)).toBeInstanceOf(PartitionFencedError);
      await handler.handleMany([batch(0, deposit('d7', 'a', '1'))]);
      expect(store.balanceOf('a')).toEqual({ posted: 131n, pending: 0n });
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
