import { PartitionBatch, PartitionWorker, ResettableProducer } from '@rtp/shared/kafka';
import {
  LedgerStore,
  OutboxRecord,
  PartitionFencedError,
  ProcessCommandBatchHandler,
} from '@rtp/ledger/application';
import { ledgerMetrics } from './ledger-metrics';

const OUTBOX_DRAIN_PAGE = 500;

/** Connects the command topic's partitions to the batch handler and publishes each batch's outbox. */
export class LedgerCommandWorker implements PartitionWorker {
  constructor(
    private readonly handler: ProcessCommandBatchHandler,
    private readonly store: LedgerStore,
    private readonly producer: ResettableProducer,
    private readonly consumerGroup: string,
  ) {}

  async acquire(topic: string, partition: number): Promise<bigint> {
    // A crash between commit and publish leaves rows behind: publish them before anything newer.
    for (;;) {
      const leftovers = await this.store.findUnpublishedOutbox(partition, OUTBOX_DRAIN_PAGE);
      await this.publish(partition, leftovers);
      if (leftovers.length < OUTBOX_DRAIN_PAGE) break;
    }
    return this.store.acquirePartition(this.consumerGroup, topic, partition);
  }

  async process(batch: PartitionBatch): Promise<void> {
    const stopTimer = ledgerMetrics.batchCommitSeconds.startTimer();
    try {
      const { outbox, counts } = await this.handler.handle({
        partition: batch.partition,
        messages: batch.messages,
        fromOffset: batch.fromOffset,
        toOffset: batch.toOffset,
      });
      stopTimer();
      ledgerMetrics.batchSize.observe(batch.messages.length);
      for (const [result, count] of Object.entries(counts)) ledgerMetrics.commands.inc({ result }, count);
      await this.publish(batch.partition, outbox);
    } catch (error) {
      if (error instanceof PartitionFencedError) ledgerMetrics.fenced.inc();
      throw error;
    }
  }

  release(_topic: string, partition: number): void {
    this.handler.release(partition);
  }

  private async publish(partition: number, records: OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.producer.publish(
      records.map((record) => ({
        id: record.outboxId,
        topic: record.topic,
        key: record.key,
        value: Buffer.from(JSON.stringify(record.payload), 'utf8'),
        messageId: record.messageId,
        messageType: record.messageType,
      })),
    );
    await this.store.markOutboxPublished(partition, records[records.length - 1].outboxId);
  }
}
