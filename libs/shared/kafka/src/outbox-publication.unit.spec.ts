import { OutboxMessage } from './outbox-publisher';
import { InHand, OutboxPublication, OutboxStore } from './outbox-publication';

/** A row of a store that records one position per partition, as the ledger does. */
interface Row {
  partition: number;
  position: bigint;
}
const row = (partition: number, position: bigint): Row => ({ partition, position });

/** An in-memory store and a producer that confirms at once unless told to fail. */
function fixture(unpublished: Row[] = []) {
  const sent: Row[][] = [];
  const recorded: [number, bigint][][] = [];
  const seenInHand: InHand<Row, number>[] = [];
  const failures: unknown[] = [];
  const broker = { failing: false };
  const database = { failing: false };
  const store: OutboxStore<Row, number, number, bigint> = {
    findUnpublished: async (partition, limit, inHand) => {
      seenInHand.push(inHand);
      const after = new Map(recorded.flat()).get(partition) ?? 0n;
      const rows = unpublished.filter(
        (each) => each.partition === partition && each.position > after,
      );
      return { rows: rows.slice(0, limit), more: rows.length > limit };
    },
    recordMarks: async (marks) => {
      if (database.failing) throw new Error('database down');
      recorded.push([...marks]);
    },
  };
  const producer = {
    publish: async (messages: readonly OutboxMessage[]) => {
      if (broker.failing) throw new Error('broker down');
      sent.push(messages.map((message) => row(Number(message.key), BigInt(message.id))));
    },
  };
  const publication = new OutboxPublication<Row, number, number, bigint>({
    store,
    producer,
    messageOf: (each) => ({
      id: String(each.position),
      topic: 't',
      key: String(each.partition),
      value: Buffer.from(''),
      messageId: `m-${each.position}`,
      messageType: 'T',
    }),
    marksOf: (rows) => rows.map((each) => [each.partition, each.position] as const),
    mergeMarks: (one, other) => (one > other ? one : other),
    queuedRowsMax: 100,
    recordDelayMsMax: 1_000,
    sweepPageLimit: 2,
    onError: (error) => failures.push(error),
  });
  return { publication, sent, recorded, seenInHand, failures, broker, database };
}

describe('publishing an outbox and recording what was published', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  describe('when the broker confirms rows', () => {
    it("holds their marks, merged, for the caller's next transaction", async () => {
      const { publication, recorded } = fixture();
      await publication.publish([row(1, 4n), row(2, 7n), row(1, 5n)]);
      expect(publication.takeMarks([1])).toEqual(new Map([[1, 5n]]));
      expect(publication.inHand().marked).toEqual([2]);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(recorded).toEqual([[[2, 7n]]]);
    });

    it('records them on their own when no transaction takes them within the delay', async () => {
      const { publication, recorded } = fixture();
      await publication.publish([row(1, 4n)]);
      await jest.advanceTimersByTimeAsync(999);
      expect(recorded).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(recorded).toEqual([[[1, 4n]]]);
    });
  });

  describe('when the transaction that took marks fails', () => {
    it('keeps the later mark of what was confirmed meanwhile and records it', async () => {
      const { publication, recorded } = fixture();
      await publication.publish([row(1, 4n)]);
      const taken = publication.takeMarks();
      await publication.publish([row(1, 6n)]);
      publication.returnMarks(taken);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(recorded).toEqual([[[1, 6n]]]);
    });
  });

  describe('when the broker refuses a send', () => {
    it('rejects the caller, reports it, and holds no mark', async () => {
      const { publication, broker, failures } = fixture();
      broker.failing = true;
      await expect(publication.publish([row(1, 4n)])).rejects.toThrow('broker down');
      expect(publication.takeMarks().size).toBe(0);
      expect(failures).toHaveLength(1);
    });
  });

  describe('when recording fails', () => {
    it('keeps the marks and tries again after the delay', async () => {
      const { publication, recorded, database, failures } = fixture();
      await publication.publish([row(1, 4n)]);
      database.failing = true;
      await jest.advanceTimersByTimeAsync(1_000);
      expect(failures).toHaveLength(1);
      expect(publication.inHand().marked).toEqual([1]);
      database.failing = false;
      await jest.advanceTimersByTimeAsync(1_000);
      expect(recorded).toEqual([[[1, 4n]]]);
    });
  });

  describe('when it stops', () => {
    it('records what is confirmed at once and starts no timer afterwards', async () => {
      const { publication, recorded } = fixture();
      await publication.publish([row(1, 4n)]);
      await publication.stop();
      expect(recorded).toEqual([[[1, 4n]]]);
      await publication.publish([row(1, 5n)]);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('waits for a recording in flight and records the marks it gave back', async () => {
      const { publication, recorded, database } = fixture();
      await publication.publish([row(1, 4n)]);
      database.failing = true;
      const released = publication.recordMarks([1]);
      database.failing = false;
      await publication.stop();
      await expect(released).rejects.toThrow('database down');
      expect(recorded).toEqual([[[1, 4n]]]);
    });
  });

  describe('when a partition is released', () => {
    it("records that partition's mark alone", async () => {
      const { publication, recorded } = fixture();
      await publication.publish([row(1, 4n), row(2, 7n)]);
      await publication.recordMarks([2]);
      expect(recorded).toEqual([[[2, 7n]]]);
      expect(publication.inHand().marked).toEqual([1]);
    });
  });

  describe('when the store has rows left unpublished', () => {
    it('publishes them page by page in order, recording each page before the next', async () => {
      const rows = [row(3, 1n), row(3, 2n), row(3, 3n), row(4, 1n)];
      const { publication, sent, recorded } = fixture(rows);
      await publication.sweep(3);
      expect(sent).toEqual([[row(3, 1n), row(3, 2n)], [row(3, 3n)]]);
      expect(recorded).toEqual([[[3, 2n]], [[3, 3n]]]);
      expect(publication.inHand()).toEqual({ rows: [], marked: [] });
    });

    it('tells the store which rows it has in hand', async () => {
      const { publication, seenInHand, broker } = fixture([row(3, 1n)]);
      broker.failing = true;
      const refused = publication.publish([row(5, 9n)]);
      await publication.sweep(3).catch(() => undefined);
      await refused.catch(() => undefined);
      expect(seenInHand[0].rows).toEqual([row(5, 9n)]);
    });

    it("keeps the page's marks in hand when recording them fails", async () => {
      const { publication, database } = fixture([row(3, 1n)]);
      database.failing = true;
      await expect(publication.sweep(3)).rejects.toThrow('database down');
      expect(publication.inHand().marked).toEqual([3]);
    });
  });
});
