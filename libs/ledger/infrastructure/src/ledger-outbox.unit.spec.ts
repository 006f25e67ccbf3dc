import { LedgerStore, OutboxRecord, PublishedPosition } from '@rtp/ledger/application';
import { ledgerOutbox } from './ledger-outbox';

const record = (
  partition: number,
  source: OutboxRecord['source'],
  position: string,
): OutboxRecord => ({
  source,
  position,
  sourcePartition: partition,
  topic: 'ledger.events.v1',
  key: 'a',
  messageId: `${source}-${position}`,
  messageType: 'AccountOpened',
  payloadJson: '{}',
});

function publication() {
  const marked: PublishedPosition[][] = [];
  const store = {
    markPublished: async (positions: PublishedPosition[]) => {
      marked.push(positions);
    },
  } as unknown as LedgerStore;
  const outbox = ledgerOutbox(store, { publish: async () => undefined }, () => undefined);
  return { outbox, marked };
}

describe("the ledger's published positions", () => {
  describe("when a group's outbox is confirmed", () => {
    it('holds the last event and the last outbox row of each partition', async () => {
      const { outbox } = publication();
      await outbox.publish([
        record(1, 'event', '10'),
        record(2, 'event', '11'),
        record(1, 'outbox', '3'),
        record(1, 'event', '12'),
      ]);
      expect(outbox.takeMarks([1])).toEqual(
        new Map([[1, { partition: 1, eventsThrough: '12', outboxThrough: '3' }]]),
      );
      expect(outbox.takeMarks()).toEqual(
        new Map([[2, { partition: 2, eventsThrough: '11', outboxThrough: null }]]),
      );
      await outbox.stop();
    });
  });

  describe('when a failed batch gives back a position older than one confirmed since', () => {
    it('keeps the later of each, by number', async () => {
      const { outbox, marked } = publication();
      await outbox.publish([record(1, 'event', '9'), record(1, 'outbox', '7')]);
      const taken = outbox.takeMarks([1]);
      await outbox.publish([record(1, 'event', '10')]);
      outbox.returnMarks(taken);
      await outbox.stop();
      expect(marked).toEqual([[{ partition: 1, eventsThrough: '10', outboxThrough: '7' }]]);
    });
  });
});
