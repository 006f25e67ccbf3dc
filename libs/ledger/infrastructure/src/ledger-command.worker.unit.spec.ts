import { KafkaMessage } from 'kafkajs';
import { ResettableProducer, partitionBatch } from '@rtp/shared/kafka';
import {
  BatchResult,
  CommandBatch,
  LedgerStore,
  OutboxRecord,
  ProcessCommandBatchHandler,
  PublishedPosition,
} from '@rtp/ledger/application';
import { LedgerCommandWorker } from './ledger-command.worker';

const message = (offset: number): KafkaMessage =>
  ({
    offset: String(offset),
    key: null,
    value: null,
    timestamp: '0',
    attributes: 0,
    headers: {},
  }) as KafkaMessage;

const record = (partition: number, position: string): OutboxRecord => ({
  source: 'event',
  position,
  sourcePartition: partition,
  topic: 'ledger.events.v1',
  key: 'a',
  messageId: `m-${position}`,
  messageType: 'AccountOpened',
  payloadJson: '{}',
});

describe("the ledger worker's published positions", () => {
  describe("when the timer fires while a partition's batch is in flight", () => {
    it('leaves that partition to the batch, which records it in its own transaction', async () => {
      const marked: PublishedPosition[][] = [];
      const carried: (PublishedPosition | undefined)[] = [];
      let finishSecond: () => void = () => undefined;
      const results: BatchResult[][] = [
        [{ outbox: [record(1, '10')], counts: { applied: 1, duplicate: 0, dead_letter: 0 } }],
        [{ outbox: [], counts: { applied: 1, duplicate: 0, dead_letter: 0 } }],
      ];
      const handler = {
        handleMany: async (batches: CommandBatch[]) => {
          carried.push(batches[0].published);
          if (carried.length === 2)
            await new Promise<void>((resolve) => {
              finishSecond = resolve;
            });
          return results[carried.length - 1];
        },
      } as unknown as ProcessCommandBatchHandler;
      const store = {
        markPublished: async (positions: PublishedPosition[]) => {
          marked.push(positions);
        },
      } as unknown as LedgerStore;
      const producer = { publish: async () => undefined } as unknown as ResettableProducer;
      const worker = new LedgerCommandWorker(handler, store, producer, 'group');
      try {
        await worker.process(partitionBatch('ledger.commands.v1', 1, [message(0)], 0n));
        const second = worker.process(partitionBatch('ledger.commands.v1', 1, [message(1)], 1n));
        await new Promise((resolve) => setImmediate(resolve));

        await worker.flushPublished();
        expect(marked).toEqual([]);

        finishSecond();
        await second;
        await worker.flushPublished();
        expect(marked).toEqual([]);
        expect(carried[1]).toEqual({ partition: 1, eventsThrough: '10', outboxThrough: null });
      } finally {
        worker.stop();
      }
    });
  });
});
