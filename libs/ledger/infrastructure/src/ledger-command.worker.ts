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
  PublishedPosition,
} from '@rtp/ledger/application';
import { ledgerMetrics } from './ledger-metrics';

const OUTBOX_DRAIN_PAGE = 500;

/** An idle partition's published position is recorded at most this long after its publication. */
const PUBLISHED_POSITION_FLUSH_MS = 1_000;

/**
 * Connects the command topic's partitions to the batch handler and publishes each batch's outbox.
 * A batch's published position is recorded in the partition's next batch transaction (no commit of
 * its own), or by a timer when the partition goes idle; a crash in between re-publishes a few rows,
 * which consumers dedupe by message id.
 */
export class LedgerCommandWorker implements PartitionWorker {
  private readonly unrecorded = new Map<number, PublishedPosition>();
  /** Partitions with a batch transaction in flight: it records their positions itself. */
  private readonly inFlight = new Set<number>();
  private readonly flushTimer: NodeJS.Timeout;

  constructor(
    private readonly handler: ProcessCommandBatchHandler,
    private readonly store: LedgerStore,
    private readonly producer: ResettableProducer,
    private readonly consumerGroup: string,
  ) {
    this.flushTimer = setInterval(() => void this.flushPublished().catch(() => undefined),
      PUBLISHED_POSITION_FLUSH_MS);
    this.flushTimer.unref();
  }

  /**
   * Records the positions published but not yet recorded (idle partitions); also before stopping.
   * A partition with a batch in flight is left to that batch: its transaction holds the position's
   * row until it commits, and this statement would only wait for it.
   */
  async flushPublished(): Promise<void> {
    const positions = [...this.unrecorded.values()]
      .filter(({ partition }) => !this.inFlight.has(partition));
    if (positions.length === 0) return;
    await this.store.markPublished(positions);
    for (const position of positions) {
      if (this.unrecorded.get(position.partition) === position) this.unrecorded.delete(position.partition);
    }
  }

  stop(): void {
    clearInterval(this.flushTimer);
  }

  async acquire(topic: string, partition: number): Promise<StoredPosition> {
    // A crash between commit and publish leaves rows behind: publish them before anything newer.
    for (;;) {
      const { records, more } = await this.store.findUnpublished(partition, OUTBOX_DRAIN_PAGE);
      await this.publish(records);
      await this.flushPublished();
      if (!more) break;
    }
    return this.store.acquirePartition(this.consumerGroup, topic, partition);
  }

  process(batch: PartitionBatch): Promise<void> {
    return this.processMany([batch]);
  }

  /** Several partitions' batches in one transaction, then their outboxes in one produce request. */
  processMany(batches: PartitionBatch[]): Promise<void> {
    return this.run(batches, (commands) => this.handler.handleMany(commands));
  }

  /**
   * The command failed its batch permanently: refuse it with `processing_failed` (its clients get the
   * rejection event they wait for); if even the refusal cannot be written, dead-letter it with the
   * reason. Either way its offset is stored and the partition moves on.
   */
  async isolate(batch: PartitionBatch, cause: unknown): Promise<void> {
    try {
      await this.run([batch], async ([commands]) => [await this.handler.reject(commands)]);
    } catch (error) {
      if (!isPermanentFailure(error)) throw error;
      const reason = `failed permanently: ${describeFailure(cause)}; refusing it failed too: ` +
        describeFailure(error);
      await this.run([batch], async ([commands]) => [await this.handler.deadLetter(commands, reason)]);
    }
  }

  release(_topic: string, partition: number): void {
    this.handler.release(partition);
    // The next owner starts from the recorded position: record what this one published.
    if (this.unrecorded.has(partition)) void this.flushPublished().catch(() => undefined);
  }

  private async run(batches: PartitionBatch[],
    apply: (commands: CommandBatch[]) => Promise<BatchResult[]>): Promise<void> {
    const stopTimer = ledgerMetrics.batchCommitSeconds.startTimer();
    for (const batch of batches) this.inFlight.add(batch.partition);
    try {
      const results = await apply(batches.map((batch) => this.commandBatch(batch)));
      this.recorded(batches);
      stopTimer();
      for (const [index, { counts }] of results.entries()) this.count(batches[index], counts);
      await this.publish(results.flatMap(({ outbox }) => outbox));
    } catch (error) {
      if (error instanceof PartitionFencedError) ledgerMetrics.fenced.inc(error.fencedPartitions.length);
      throw error;
    } finally {
      for (const batch of batches) this.inFlight.delete(batch.partition);
    }
  }

  private count(batch: PartitionBatch, counts: BatchResult['counts']): void {
    ledgerMetrics.batchSize.observe(batch.messages.length);
    for (const [result, count] of Object.entries(counts)) ledgerMetrics.commands.inc({ result }, count);
  }

  private commandBatch(batch: PartitionBatch): CommandBatch {
    return { partition: batch.partition, messages: batch.messages, fromOffset: batch.fromOffset,
      toOffset: batch.toOffset, lastMessageIdentity: batch.lastMessageIdentity,
      published: this.unrecorded.get(batch.partition) };
  }

  /** The batches' transaction recorded the positions they carried. */
  private recorded(batches: PartitionBatch[]): void {
    for (const batch of batches) this.unrecorded.delete(batch.partition);
  }

  /** Publishes in commit order per partition; the positions are recorded later (see the class). */
  private async publish(records: OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.producer.publish(
      records.map((record) => ({
        id: `${record.source}:${record.position}`,
        topic: record.topic,
        key: record.key,
        value: Buffer.from(JSON.stringify(record.payload), 'utf8'),
        messageId: record.messageId,
        messageType: record.messageType,
      })),
    );
    // Records are in publication order per partition and source: the last of each is its position.
    const published = new Map<number, PublishedPosition>();
    for (const { sourcePartition: partition, source, position } of records) {
      const current = published.get(partition) ?? { ...(this.unrecorded.get(partition) ??
        { partition, eventsThrough: null, outboxThrough: null }) };
      if (source === 'event') current.eventsThrough = position;
      else current.outboxThrough = position;
      published.set(partition, current);
    }
    for (const [partition, position] of published) this.unrecorded.set(partition, position);
  }
}
