import {
  PartitionBatch,
  PartitionWorker,
  ResettableProducer,
  StoredPosition,
  describeFailure,
  isPermanentFailure,
} from '@rtp/shared/kafka';
import {
  BatchResult,
  CommandBatch,
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

  async acquire(topic: string, partition: number): Promise<StoredPosition> {
    // A crash between commit and publish leaves rows behind: publish them before anything newer.
    for (;;) {
      const leftovers = await this.store.findUnpublishedOutbox(partition, OUTBOX_DRAIN_PAGE);
      await this.publish(leftovers);
      if (leftovers.length < OUTBOX_DRAIN_PAGE) break;
    }
    return this.store.acquirePartition(this.consumerGroup, topic, partition);
  }

  async process(batch: PartitionBatch): Promise<void> {
    await this.run(batch, (commands) => this.handler.handle(commands));
  }

  /** Several partitions' batches in one transaction, then their outboxes in one produce request. */
  async processMany(batches: PartitionBatch[]): Promise<void> {
    const stopTimer = ledgerMetrics.batchCommitSeconds.startTimer();
    try {
      const results = await this.handler.handleMany(batches.map(commandBatch));
      stopTimer();
      for (const [index, { counts }] of results.entries()) this.count(batches[index], counts);
      await this.publish(results.flatMap(({ outbox }) => outbox));
    } catch (error) {
      if (error instanceof PartitionFencedError) ledgerMetrics.fenced.inc(error.fencedPartitions.length);
      throw error;
    }
  }

  /**
   * The command failed its batch permanently: refuse it with `processing_failed` (its clients get the
   * rejection event they wait for); if even the refusal cannot be written, dead-letter it with the
   * reason. Either way its offset is stored and the partition moves on.
   */
  async isolate(batch: PartitionBatch, cause: unknown): Promise<void> {
    try {
      await this.run(batch, (commands) => this.handler.reject(commands));
    } catch (error) {
      if (!isPermanentFailure(error)) throw error;
      const reason = `failed permanently: ${describeFailure(cause)}; refusing it failed too: ` +
        describeFailure(error);
      await this.run(batch, (commands) => this.handler.deadLetter(commands, reason));
    }
  }

  release(_topic: string, partition: number): void {
    this.handler.release(partition);
  }

  private async run(batch: PartitionBatch, apply: (commands: CommandBatch) => Promise<BatchResult>): Promise<void> {
    const stopTimer = ledgerMetrics.batchCommitSeconds.startTimer();
    try {
      const { outbox, counts } = await apply(commandBatch(batch));
      stopTimer();
      this.count(batch, counts);
      await this.publish(outbox);
    } catch (error) {
      if (error instanceof PartitionFencedError) ledgerMetrics.fenced.inc();
      throw error;
    }
  }

  private count(batch: PartitionBatch, counts: BatchResult['counts']): void {
    ledgerMetrics.batchSize.observe(batch.messages.length);
    for (const [result, count] of Object.entries(counts)) ledgerMetrics.commands.inc({ result }, count);
  }

  /** Publishes in commit order per partition, then records each partition's published position. */
  private async publish(records: OutboxRecord[]): Promise<void> {
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
    const last = new Map<number, string>();
    for (const record of records) last.set(record.sourcePartition, record.outboxId);
    await this.store.markOutboxPublished([...last].map(([partition, outboxId]) => ({ partition, outboxId })));
  }
}

function commandBatch(batch: PartitionBatch): CommandBatch {
  return { partition: batch.partition, messages: batch.messages, fromOffset: batch.fromOffset,
    toOffset: batch.toOffset, lastMessageIdentity: batch.lastMessageIdentity };
}
