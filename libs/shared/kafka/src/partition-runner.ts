import { Admin, Consumer, Kafka } from 'kafkajs';
import { ConsumerLag } from './consumer-metrics';
import { describeFailure } from './failure-kinds';
import { PartitionBatches } from './partition-batches';
import { PartitionHealth, consumerMetrics } from './partition-health';
import { PartitionRunnerOptions, retryDelayMs } from './partition-worker';

export type { PartitionBatch } from './batch-isolation';
export * from './partition-worker';

/**
 * Runs a consumer group whose positions live in the worker's database. It never gives up: a failed
 * batch pauses only its partition and is retried with backoff; a batch failing permanently is split
 * until the message that causes it is refused; a consumer the Kafka client gives up on is rebuilt in
 * process; a stored position that does not fit the partition's log stops that partition loudly.
 */
export class PartitionRunner {
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  private readonly batches: PartitionBatches;
  private rebuildTimer: NodeJS.Timeout | null = null;
  private rebuildAttempts = 0;
  private stopping = false;
  readonly health: PartitionHealth;
  private readonly lag: ConsumerLag;

  constructor(private readonly options: PartitionRunnerOptions) {
    this.health = new PartitionHealth(options.groupId, options.stallAfterMs);
    this.lag = new ConsumerLag(
      options.groupId,
      () => this.admin,
      (error) => options.log('warn', `consumer lag not refreshed: ${describeFailure(error)}`),
    );
    this.batches = new PartitionBatches(
      options,
      this.health,
      (consumer) => consumer === this.consumer && !this.stopping,
      (topic, partition) => this.logBounds(topic, partition),
      (topic, partition, position) => {
        this.rebuildAttempts = 0;
        this.lag.position(topic, partition, position);
      },
    );
  }

  /** Joins the group; may be called again after it failed (a broker not up yet). */
  async start(): Promise<void> {
    this.admin ??= this.options.kafka.admin();
    await this.admin.connect();
    await this.startConsumer();
    this.lag.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.lag.stop();
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    this.batches.clearTimers();
    if (this.consumer) await this.batches.commitLagCopies(this.consumer);
    await this.consumer?.disconnect();
    await this.admin?.disconnect();
    this.consumer = null;
    this.batches.releaseAll();
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
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.batches.releaseAll();
      this.lag.assign(event.payload.memberAssignment);
      this.health.consumerRunning();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.batches.releaseAll();
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
      eachBatch: (payload) => this.batches.handle(consumer, payload),
    });
  }

  private scheduleRebuild(failed: Consumer, error: unknown): void {
    if (this.stopping || this.rebuildTimer || this.consumer !== failed) return;
    const delay = retryDelayMs(++this.rebuildAttempts);
    this.options.log(
      'error',
      `consumer group ${this.options.groupId} stopped (${describeFailure(error)}); ` +
        `rebuilding it in ${delay} ms`,
    );
    this.rebuildTimer = setTimeout(() => {
      this.rebuildTimer = null;
      this.rebuild(failed).catch((rebuildError: unknown) =>
        this.scheduleRebuild(failed, rebuildError),
      );
    }, delay);
  }

  private async rebuild(failed: Consumer): Promise<void> {
    this.batches.clearTimers();
    await failed.disconnect().catch(() => undefined);
    this.batches.releaseAll();
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

  private async logBounds(
    topic: string,
    partition: number,
  ): Promise<{ low: bigint; high: bigint }> {
    if (!this.admin) throw new Error('runner not started');
    const offsets = await this.admin.fetchTopicOffsets(topic);
    const entry = offsets.find((candidate) => candidate.partition === partition);
    if (!entry) throw new Error(`no offsets for ${topic}[${partition}]`);
    return { low: BigInt(entry.low), high: BigInt(entry.high) };
  }
}
