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
  PartitionFencedError,
  ProcessCommandBatchHandler,
  PublishedPosition,
} from '@rtp/ledger/application';
import { CommittedCommandLog, logCommittedCommands } from './committed-commands-log';
import { LedgerOutbox, ledgerOutbox } from './ledger-outbox';
import { ledgerMetrics } from './ledger-metrics';

/**
 * Connects the command topic's partitions to the batch handler and publishes each batch's outbox
 * through the shared outbox publication, in commit order per partition. A batch's published
 * position is recorded in the partition's next batch transaction (no commit of its own), or by the
 * publication's timer when the partition goes idle, on release and at stop; a crash in between
 * re-publishes a few rows, which consumers dedupe by message id. A position is taken by the batch
 * that records it, so the timer's statement never has it meanwhile and never waits behind that
 * batch's row lock.
 */
export class LedgerCommandWorker implements PartitionWorker {
  private readonly outbox: LedgerOutbox;

  constructor(
    private readonly handler: ProcessCommandBatchHandler,
    private readonly store: LedgerStore,
    producer: Pick<ResettableProducer, 'publish'>,
    private readonly consumerGroup: string,
    /** A failure no batch waits for (the idle timer's recording): counted and logged, then retried. */
    onOutboxError: (error: unknown) => void = () => undefined,
    /** With debug logging: a line per committed command, in its trace (see logCommittedCommands). */
    private readonly committedLog: CommittedCommandLog | null = null,
  ) {
    // Nothing is lost by a failure here: a failed send fails the batch that waits for it (the
    // runner reports and retries it), and a failed recording is kept and tried again.
    this.outbox = ledgerOutbox(store, producer, (error) => {
      ledgerMetrics.outboxFailures.inc();
      onOutboxError(error);
    });
  }

  /** Records the positions published but not yet recorded (idle partitions). */
  flushPublished(): Promise<void> {
    return this.outbox.recordMarks();
  }

  /** After the runner stopped: records what was published, so a restart does not send it again. */
  stop(): Promise<void> {
    return this.outbox.stop();
  }

  async acquire(topic: string, partition: number): Promise<StoredPosition> {
    // A crash between commit and publish leaves rows behind: publish them before anything newer.
    await this.outbox.sweep(partition);
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
      const reason =
        `failed permanently: ${describeFailure(cause)}; refusing it failed too: ` +
        describeFailure(error);
      await this.run([batch], async ([commands]) => [
        await this.handler.deadLetter(commands, reason),
      ]);
    }
  }

  release(_topic: string, partition: number): void {
    this.handler.release(partition);
    // The next owner starts from the recorded position: record what this one published.
    this.outbox.recordMarks([partition]).catch(() => undefined);
  }

  /** Commits the batches with the positions they carry, then publishes their outboxes. */
  private async run(
    batches: PartitionBatch[],
    apply: (commands: CommandBatch[]) => Promise<BatchResult[]>,
  ): Promise<void> {
    const stopTimer = ledgerMetrics.batchCommitSeconds.startTimer();
    const published = this.outbox.takeMarks(batches.map((batch) => batch.partition));
    let results: BatchResult[];
    try {
      results = await apply(
        batches.map((batch) => this.commandBatch(batch, published.get(batch.partition))),
      );
    } catch (error) {
      this.outbox.returnMarks(published);
      if (error instanceof PartitionFencedError)
        ledgerMetrics.fenced.inc(error.fencedPartitions.length);
      throw error;
    }
    stopTimer();
    for (const [index, { counts }] of results.entries()) this.count(batches[index], counts);
    if (this.committedLog) {
      for (const batch of batches) logCommittedCommands(batch, this.committedLog);
    }
    await this.outbox.publish(results.flatMap(({ outbox }) => outbox));
  }

  private count(batch: PartitionBatch, counts: BatchResult['counts']): void {
    ledgerMetrics.batchSize.observe(batch.messages.length);
    for (const [result, count] of Object.entries(counts))
      ledgerMetrics.commands.inc({ result }, count);
  }

  private commandBatch(
    batch: PartitionBatch,
    published: PublishedPosition | undefined,
  ): CommandBatch {
    return {
      partition: batch.partition,
      messages: batch.messages,
      fromOffset: batch.fromOffset,
      toOffset: batch.toOffset,
      lastMessageIdentity: batch.lastMessageIdentity,
      published,
    };
  }
}
