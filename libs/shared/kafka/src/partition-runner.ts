import { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { PartitionBatch, applyIsolating, partitionBatch } from './batch-isolation';
import { describeFailure, isPermanentFailure } from './failure-kinds';
import { messageIdentity } from './message-identity';
import { PartitionHealth, consumerMetrics } from './partition-health';
import { StoredPosition, checkIdentity, checkStoredPosition } from './position-check';

export type { PartitionBatch } from './batch-isolation';

/**
 * A consumer whose position lives in its own database, written in the same transaction as its effects.
 * Kafka's committed offsets are only a copy for lag monitoring and autoscaling.
 */
export interface PartitionWorker {
  /** Called before the first batch of a partition after (re)assignment: the stored position. */
  acquire(topic: string, partition: number): Promise<StoredPosition>;
  /** Applies the batch durably; must throw if the stored offset is no longer `fromOffset` (fenced). */
  process(batch: PartitionBatch): Promise<void>;
  /**
   * Refuses the batch's only message, isolated as the cause of a permanent failure, and stores the
   * position past it. Without it a permanent failure is retried like any other.
   */
  isolate?(batch: PartitionBatch, error: unknown): Promise<void>;
  /** Drops in-memory state for the partition: after a rebalance, an error or being fenced. */
  release(topic: string, partition: number): void;
}

export interface PartitionRunnerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  worker: PartitionWorker;
  batchSizeMax: number;
  partitionsConsumedConcurrently: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** The batch linger: a fetch waits up to fetchWaitMsMax for at least fetchBytesMin bytes. */
  fetchWaitMsMax: number;
  fetchBytesMin?: number;
  /** A partition failing (or a consumer down) this long makes readiness fail. */
  stallAfterMs: number;
  /** How often a partition stopped by its position check is checked again (default 15 s). */
  positionRecheckMs?: number;
  log: (level: 'warn' | 'error', message: string) => void;
}

interface PartitionState {
  position?: bigint;
  verify?: { offset: bigint; identity: string };
}

const RETRY_DELAY_MS_MIN = 500;
const RETRY_DELAY_MS_MAX = 30_000;
/** A partition stopped by its position check is checked again this often (an operator may fix it). */
const POSITION_RECHECK_MS_DEFAULT = 15_000;

export function retryDelayMs(failures: number): number {
  return Math.min(RETRY_DELAY_MS_MAX, RETRY_DELAY_MS_MIN * 2 ** Math.max(0, failures - 1));
}

/**
 * Runs a consumer group whose positions live in the worker's database. It never gives up: a failed
 * batch pauses only its partition and is retried with backoff; a batch failing permanently is split
 * until the message that causes it is refused; a consumer the Kafka client gives up on is rebuilt in
 * process; a stored position that does not fit the partition's log stops that partition loudly.
 */
export class PartitionRunner {
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  private readonly partitions = new Map<string, PartitionState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private rebuildTimer: NodeJS.Timeout | null = null;
  private rebuildAttempts = 0;
  private stopping = false;
  readonly health: PartitionHealth;

  constructor(private readonly options: PartitionRunnerOptions) {
    this.health = new PartitionHealth(options.groupId, options.stallAfterMs);
  }

  async start(): Promise<void> {
    this.admin = this.options.kafka.admin();
    await this.admin.connect();
    await this.startConsumer();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    for (const timer of this.timers) clearTimeout(timer);
    await this.consumer?.disconnect();
    await this.admin?.disconnect();
    this.consumer = null;
    this.releaseAll();
    this.health.dispose();
  }

  /** Throws, naming every partition that cannot make progress and why. */
  assertHealthy(): void {
    if (!this.consumer && !this.rebuildTimer) throw new Error('consumer not started');
    this.health.assertHealthy();
  }

  private async startConsumer(): Promise<void> {
    const options = this.options;
    const consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: options.sessionTimeoutMs * 2,
      maxWaitTimeInMs: options.fetchWaitMsMax,
      minBytes: options.fetchBytesMin ?? 1,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 10_000 },
    });
    // Any rebalance may have moved a partition to another owner and back: forget everything.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.releaseAll();
      this.health.consumerRunning();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.releaseAll();
      this.health.consumerStopped(describeFailure(event.payload.error));
      if (!event.payload.restart) this.scheduleRebuild(consumer, event.payload.error);
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.handleBatch(consumer, payload),
    });
  }

  private scheduleRebuild(failed: Consumer, error: unknown): void {
    if (this.stopping || this.rebuildTimer || this.consumer !== failed) return;
    const delay = retryDelayMs(++this.rebuildAttempts);
    this.options.log('error', `consumer group ${this.options.groupId} stopped (${describeFailure(error)}); ` +
      `rebuilding it in ${delay} ms`);
    this.rebuildTimer = setTimeout(() => {
      this.rebuildTimer = null;
      this.rebuild(failed).catch((rebuildError: unknown) => this.scheduleRebuild(failed, rebuildError));
    }, delay);
  }

  private async rebuild(failed: Consumer): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await failed.disconnect().catch(() => undefined);
    this.releaseAll();
    if (this.stopping) return;
    consumerMetrics.rebuilds.inc({ group: this.options.groupId });
    try {
      await this.startConsumer();
    } catch (error) {
      // Keep `failed` as the current consumer so the next attempt is scheduled for it.
      await this.consumer?.disconnect().catch(() => undefined);
      this.consumer = failed;
      throw error;
    }
  }

  private releaseAll(): void {
    for (const key of this.partitions.keys()) {
      const [topic, partition] = key.split('\u0000');
      this.options.worker.release(topic, Number(partition));
    }
    this.partitions.clear();
    this.health.reassigned();
  }

  private async handleBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
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
      this.rebuildAttempts = 0;
    } catch (error) {
      this.failed(consumer, topic, partition, state, BigInt(messages[0].offset), error);
    } finally {
      this.health.batchEnded(topic, partition);
    }
  }

  /** Acquires the partition and checks its stored position against the log; false: not now. */
  private async prepare(consumer: Consumer, topic: string, partition: number, state: PartitionState,
    messages: KafkaMessage[]): Promise<boolean> {
    const first = BigInt(messages[0].offset);
    if (state.position === undefined) {
      const stored = await this.options.worker.acquire(topic, partition);
      const { low, high } = await this.logBounds(topic, partition);
      const verdict = checkStoredPosition(stored, low, high);
      if (verdict.kind === 'stop') return this.stopPartition(consumer, topic, partition, first, verdict.reason);
      state.position = stored.nextOffset;
      if (verdict.kind === 'verify') state.verify = { offset: verdict.offset, identity: verdict.identity };
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
    if (first < verify.offset && BigInt(messages[messages.length - 1].offset) < verify.offset) return true;
    const found = messages.find((message) => BigInt(message.offset) === verify.offset);
    const verdict = checkIdentity(verify.identity, found ? messageIdentity(found) : null, verify.offset);
    if (verdict.kind === 'stop') return this.stopPartition(consumer, topic, partition, first, verdict.reason);
    state.verify = undefined;
    return true;
  }

  private async consume(consumer: Consumer, payload: EachBatchPayload, state: PartitionState): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    const pending = batch.messages.filter((message) => BigInt(message.offset) >= state.position!);
    for (let start = 0; start < pending.length; start += this.options.batchSizeMax) {
      if (!isRunning() || isStale()) return;
      const chunk = partitionBatch(topic, partition, pending.slice(start, start + this.options.batchSizeMax),
        state.position!);
      await applyIsolating(chunk, {
        apply: (part) => this.options.worker.process(part),
        isolate: (part, error) => this.isolate(part, error),
        isPermanent: isPermanentFailure,
      });
      state.position = chunk.toOffset;
      resolveOffset(chunk.messages[chunk.messages.length - 1].offset);
      await heartbeat();
    }
    if (pending.length === 0) resolveOffset(batch.lastOffset());
    // Only after the database commit: Kafka's copy of the position is for lag monitoring.
    await consumer.commitOffsets([{ topic, partition, offset: state.position!.toString() }])
      .catch((error: unknown) => this.options.log('warn', `committing the lag copy of ${topic}[${partition}] ` +
        `failed: ${describeFailure(error)}`));
  }

  private async isolate(batch: PartitionBatch, error: unknown): Promise<void> {
    const isolate = this.options.worker.isolate;
    if (!isolate) throw error;
    this.options.log('error', `message ${batch.topic}[${batch.partition}]@${batch.messages[0].offset} fails ` +
      `its batch permanently (${describeFailure(error)}); refusing it so the partition moves on`);
    consumerMetrics.isolated.inc({ group: this.options.groupId, topic: batch.topic });
    await isolate.call(this.options.worker, batch, error);
  }

  private failed(consumer: Consumer, topic: string, partition: number, state: PartitionState, firstOffset: bigint,
    error: unknown): void {
    const resumeAt = state.position ?? firstOffset;
    this.partitions.delete(`${topic}\u0000${partition}`);
    this.options.worker.release(topic, partition);
    if (this.stopping || consumer !== this.consumer) return;
    const failures = this.health.failed(topic, partition, describeFailure(error));
    consumerMetrics.batchFailures.inc({ group: this.options.groupId, topic });
    const delay = retryDelayMs(failures);
    this.options.log(failures > 3 ? 'error' : 'warn', `batch on ${topic}[${partition}] failed (${failures} in ` +
      `a row): ${describeFailure(error)}; state dropped, retrying in ${delay} ms`);
    this.pauseFor(consumer, topic, partition, resumeAt, delay);
  }

  private stopPartition(consumer: Consumer, topic: string, partition: number, resumeAt: bigint,
    reason: string): false {
    const recheckMs = this.options.positionRecheckMs ?? POSITION_RECHECK_MS_DEFAULT;
    this.health.stoppedAt(topic, partition, reason);
    this.partitions.delete(`${topic}\u0000${partition}`);
    this.options.log('error', `${this.options.groupId} stopped ${topic}[${partition}]: ${reason}. Nothing is ` +
      'consumed from it until its stored position fits the log (README: "Runbook: a stored position does not ' +
      `fit the log"); checked again every ${recheckMs / 1000} s`);
    this.pauseFor(consumer, topic, partition, resumeAt, recheckMs);
    return false;
  }

  /** Stops fetching one partition for a while, then reads it again from `offset`. */
  private pauseFor(consumer: Consumer, topic: string, partition: number, offset: bigint, delayMs: number): void {
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
      if (consumer === this.consumer && !this.stopping) consumer.resume([{ topic, partitions: [partition] }]);
    }, delayMs);
    this.timers.add(timer);
  }

  private async logBounds(topic: string, partition: number): Promise<{ low: bigint; high: bigint }> {
    if (!this.admin) throw new Error('runner not started');
    const offsets = await this.admin.fetchTopicOffsets(topic);
    const entry = offsets.find((candidate) => candidate.partition === partition);
    if (!entry) throw new Error(`no offsets for ${topic}[${partition}]`);
    return { low: BigInt(entry.low), high: BigInt(entry.high) };
  }
}
