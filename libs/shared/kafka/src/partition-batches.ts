import { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { PartitionBatch, applyIsolating, partitionBatch } from './batch-isolation';
import { observeChunkCommitted } from './consumer-metrics';
import { describeFailure, isPermanentFailure } from './failure-kinds';
import { GroupCommitFailed, GroupCommitter, groupCommitterFor } from './group-commit';
import { messageIdentity } from './message-identity';
import { PartitionHealth, consumerMetrics } from './partition-health';
import { checkIdentity, checkStoredPosition } from './position-check';
import { PartitionRunnerOptions, retryDelayMs } from './partition-worker';

interface PartitionState {
  position?: bigint;
  verify?: { offset: bigint; identity: string };
}

/** A partition stopped by its position check is checked again this often (an operator may fix it). */
const POSITION_RECHECK_MS_DEFAULT = 15_000;
/**
 * Kafka's copy of the positions (read by lag monitors, never by this code) is committed at most this
 * often, every partition's in one request: not one round trip per batch in the batch's path.
 */
const LAG_COPY_INTERVAL_MS = 1_000;

interface LagCopy {
  topic: string;
  partition: number;
  offset: string;
}

export type LogBounds = (
  topic: string,
  partition: number,
) => Promise<{ low: bigint; high: bigint }>;

/**
 * What happens to each fetched batch: acquire and check the stored position, apply the batch in
 * chunks (isolating a message that fails permanently), and on failure pause only that partition.
 * Never throws into kafkajs, which would stall every partition of the consumer for one bad one.
 */
export class PartitionBatches {
  private readonly partitions = new Map<string, PartitionState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly committer: GroupCommitter | null;
  /** Positions committed to the database since Kafka's copy was last written, per partition. */
  private readonly lagCopies = new Map<string, LagCopy>();
  private lagCopyTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: PartitionRunnerOptions,
    private readonly health: PartitionHealth,
    /** Whether a consumer is still the runner's live one (not replaced, not stopping). */
    private readonly isCurrent: (consumer: Consumer) => boolean,
    private readonly logBounds: LogBounds,
    /** After a batch: the partition's position as now stored (for the lag). */
    private readonly onProgress: (topic: string, partition: number, position: bigint) => void,
  ) {
    this.committer =
      options.groupCommitter ??
      groupCommitterFor(options.worker, options.groupId, options.partitionsConsumedConcurrently);
  }

  /** Forgets every partition (a rebalance, a rebuilt consumer): the next batch acquires afresh. */
  releaseAll(): void {
    for (const key of this.partitions.keys()) {
      const [topic, partition] = key.split('\u0000');
      this.options.worker.release(topic, Number(partition));
    }
    this.partitions.clear();
    // The partitions may belong to another consumer now: its copy is the one to keep.
    this.lagCopies.clear();
    this.health.reassigned();
  }

  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.lagCopyTimer) clearTimeout(this.lagCopyTimer);
    this.lagCopyTimer = null;
  }

  /** Writes Kafka's copy of the positions now (before a clean stop); failures are only logged. */
  async commitLagCopies(consumer: Consumer): Promise<void> {
    const offsets = [...this.lagCopies.values()];
    this.lagCopies.clear();
    if (offsets.length === 0) return;
    await consumer
      .commitOffsets(offsets)
      .catch((error: unknown) =>
        this.options.log(
          'warn',
          `committing the lag copy of ${offsets.length} partitions failed: ${describeFailure(error)}`,
        ),
      );
  }

  async handle(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = payload.batch;
    if (messages.length === 0) return;
    const key = `${topic}\u0000${partition}`;
    let state = this.partitions.get(key);
    if (!state) this.partitions.set(key, (state = {}));
    this.health.batchStarted(topic, partition);
    try {
      if (!(await this.prepare(consumer, topic, partition, state, messages))) return;
      await this.consume(consumer, payload, state);
      this.health.progressed(topic, partition);
      if (state.position !== undefined) this.onProgress(topic, partition, state.position);
    } catch (error) {
      this.failed(consumer, topic, partition, state, BigInt(messages[0].offset), error);
    } finally {
      this.health.batchEnded(topic, partition);
    }
  }

  /** Acquires the partition and checks its stored position against the log; false: not now. */
  private async prepare(
    consumer: Consumer,
    topic: string,
    partition: number,
    state: PartitionState,
    messages: KafkaMessage[],
  ): Promise<boolean> {
    const first = BigInt(messages[0].offset);
    if (state.position === undefined) {
      const stored = await this.options.worker.acquire(topic, partition);
      const { low, high } = await this.logBounds(topic, partition);
      const verdict = checkStoredPosition(stored, low, high);
      if (verdict.kind === 'stop')
        return this.stopPartition(consumer, topic, partition, first, verdict.reason);
      state.position = stored.nextOffset;
      if (verdict.kind === 'verify')
        state.verify = { offset: verdict.offset, identity: verdict.identity };
      // The database's position is the truth: when the fetch began after it (Kafka's copy of the
      // position is ahead, or the message to compare comes first), read from there instead.
      const readFrom = state.verify?.offset ?? state.position;
      if (first > readFrom) {
        consumer.seek({ topic, partition, offset: readFrom.toString() });
        return false;
      }
    }
    const verify = state.verify;
    if (!verify) return true;
    if (first < verify.offset && BigInt(messages[messages.length - 1].offset) < verify.offset)
      return true;
    const found = messages.find((message) => BigInt(message.offset) === verify.offset);
    const verdict = checkIdentity(
      verify.identity,
      found ? messageIdentity(found) : null,
      verify.offset,
    );
    if (verdict.kind === 'stop')
      return this.stopPartition(consumer, topic, partition, first, verdict.reason);
    state.verify = undefined;
    return true;
  }

  private async consume(
    consumer: Consumer,
    payload: EachBatchPayload,
    state: PartitionState,
  ): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    const pending = batch.messages.filter((message) => BigInt(message.offset) >= state.position!);
    for (let start = 0; start < pending.length; start += this.options.batchSizeMax) {
      if (!isRunning() || isStale()) return;
      const chunk = partitionBatch(
        topic,
        partition,
        pending.slice(start, start + this.options.batchSizeMax),
        state.position!,
      );
      const startedAt = process.hrtime.bigint();
      await applyIsolating(chunk, {
        apply: (part) => this.apply(part, part === chunk),
        isolate: (part, error) => this.isolate(part, error),
        isPermanent: isPermanentFailure,
      });
      observeChunkCommitted(this.options.groupId, chunk.messages.length, startedAt);
      state.position = chunk.toOffset;
      resolveOffset(chunk.messages[chunk.messages.length - 1].offset);
      await heartbeat();
    }
    if (pending.length === 0) resolveOffset(batch.lastOffset());
    // Only after the database commit: Kafka's copy of the position is for lag monitoring.
    this.copyPosition(consumer, topic, partition, state.position!);
  }

  private copyPosition(
    consumer: Consumer,
    topic: string,
    partition: number,
    position: bigint,
  ): void {
    this.lagCopies.set(`${topic}\u0000${partition}`, {
      topic,
      partition,
      offset: position.toString(),
    });
    if (this.lagCopyTimer) return;
    this.lagCopyTimer = setTimeout(() => {
      this.lagCopyTimer = null;
      if (this.isCurrent(consumer)) void this.commitLagCopies(consumer);
    }, LAG_COPY_INTERVAL_MS);
    this.lagCopyTimer.unref();
  }

  /** A whole chunk goes through the group commit when the worker has one; its halves go alone. */
  private async apply(batch: PartitionBatch, whole: boolean): Promise<void> {
    if (!whole || !this.committer) return this.options.worker.process(batch);
    try {
      await this.committer.submit(batch);
    } catch (error) {
      if (!(error instanceof GroupCommitFailed)) throw error;
      await this.options.worker.process(batch);
    }
  }

  private async isolate(batch: PartitionBatch, error: unknown): Promise<void> {
    const worker = this.options.worker;
    if (!worker.isolate) throw error;
    this.options.log(
      'error',
      `message ${batch.topic}[${batch.partition}]@${batch.messages[0].offset} fails ` +
        `its batch permanently (${describeFailure(error)}); refusing it so the partition moves on`,
    );
    consumerMetrics.isolated.inc({ group: this.options.groupId, topic: batch.topic });
    await worker.isolate(batch, error);
  }

  private failed(
    consumer: Consumer,
    topic: string,
    partition: number,
    state: PartitionState,
    firstOffset: bigint,
    error: unknown,
  ): void {
    const resumeAt = state.position ?? firstOffset;
    this.partitions.delete(`${topic}\u0000${partition}`);
    this.options.worker.release(topic, partition);
    if (!this.isCurrent(consumer)) return;
    const failures = this.health.failed(topic, partition, describeFailure(error));
    consumerMetrics.batchFailures.inc({ group: this.options.groupId, topic });
    const delay = retryDelayMs(failures);
    this.options.log(
      failures > 3 ? 'error' : 'warn',
      `batch on ${topic}[${partition}] failed (${failures} in ` +
        `a row): ${describeFailure(error)}; state dropped, retrying in ${delay} ms`,
    );
    this.pauseFor(consumer, topic, partition, resumeAt, delay);
  }

  private stopPartition(
    consumer: Consumer,
    topic: string,
    partition: number,
    resumeAt: bigint,
    reason: string,
  ): false {
    const recheckMs = this.options.positionRecheckMs ?? POSITION_RECHECK_MS_DEFAULT;
    this.health.stoppedAt(topic, partition, reason);
    this.partitions.delete(`${topic}\u0000${partition}`);
    this.options.log(
      'error',
      `${this.options.groupId} stopped ${topic}[${partition}]: ${reason}. Nothing is ` +
        'consumed from it until its stored position fits the log (README: "Runbook: a stored position does not ' +
        `fit the log"); checked again every ${recheckMs / 1000} s`,
    );
    this.pauseFor(consumer, topic, partition, resumeAt, recheckMs);
    return false;
  }

  /** Stops fetching one partition for a while, then reads it again from `offset`. */
  private pauseFor(
    consumer: Consumer,
    topic: string,
    partition: number,
    offset: bigint,
    delayMs: number,
  ): void {
    try {
      consumer.seek({ topic, partition, offset: offset.toString() });
      consumer.pause([{ topic, partitions: [partition] }]);
    } catch (error) {
      // The consumer is going away (a rebalance or a crash); its successor starts from the database.
      this.options.log('warn', `could not pause ${topic}[${partition}]: ${describeFailure(error)}`);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.isCurrent(consumer)) consumer.resume([{ topic, partitions: [partition] }]);
    }, delayMs);
    this.timers.add(timer);
  }
}
