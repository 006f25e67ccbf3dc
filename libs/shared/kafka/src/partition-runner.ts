import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';

export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** The offset stored in the database before this batch (compare-and-set expectation). */
  fromOffset: bigint;
  /** The offset to store with this batch's effects: last message offset + 1. */
  toOffset: bigint;
}

/**
 * A consumer whose position lives in its own database, written in the same transaction as its effects.
 * Kafka's committed offsets are only a copy for lag monitoring and autoscaling.
 */
export interface PartitionWorker {
  /** Called before the first batch of a partition after (re)assignment: the stored next offset. */
  acquire(topic: string, partition: number): Promise<bigint>;
  /** Applies the batch durably; must throw if the stored offset is no longer `fromOffset` (fenced). */
  process(batch: PartitionBatch): Promise<void>;
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
  onError: (error: unknown, topic: string, partition: number) => void;
  /** kafkajs gave up on the consumer (a non-retriable error): the process should exit and restart. */
  onFatal: (error: unknown) => void;
}

export class PartitionRunner {
  private consumer: Consumer | null = null;
  private readonly positions = new Map<string, bigint>();

  constructor(private readonly options: PartitionRunnerOptions) {}

  async start(): Promise<void> {
    const { kafka, groupId } = this.options;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: this.options.heartbeatIntervalMs,
      rebalanceTimeout: this.options.sessionTimeoutMs * 2,
      maxWaitTimeInMs: this.options.fetchWaitMsMax,
      minBytes: this.options.fetchBytesMin ?? 1,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    // Any rebalance may have moved a partition to another owner and back: forget everything.
    consumer.on(consumer.events.GROUP_JOIN, () => this.releaseAll());
    consumer.on(consumer.events.CRASH, (event) => {
      this.releaseAll();
      if (!event.payload.restart) this.options.onFatal(event.payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
    this.releaseAll();
  }

  private releaseAll(): void {
    for (const key of this.positions.keys()) {
      const [topic, partition] = splitKey(key);
      this.options.worker.release(topic, partition);
    }
    this.positions.clear();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    const key = `${topic}\u0000${partition}`;
    const worker = this.options.worker;
    try {
      let position = this.positions.get(key);
      if (position === undefined) {
        position = await worker.acquire(topic, partition);
        this.positions.set(key, position);
      }
      const from = position;
      const pending = batch.messages.filter((message) => BigInt(message.offset) >= from);
      for (let start = 0; start < pending.length; start += this.options.batchSizeMax) {
        if (!isRunning() || isStale()) return;
        const messages = pending.slice(start, start + this.options.batchSizeMax);
        const last = messages[messages.length - 1];
        const toOffset = BigInt(last.offset) + 1n;
        await worker.process({ topic, partition, messages, fromOffset: position, toOffset });
        position = toOffset;
        this.positions.set(key, position);
        resolveOffset(last.offset);
        await heartbeat();
      }
      if (batch.messages.length > 0 && pending.length === 0) resolveOffset(batch.lastOffset());
      if (batch.messages.length > 0 && this.consumer) {
        // Only after the database commit: Kafka's copy of the position is for lag monitoring.
        await this.consumer.commitOffsets([{ topic, partition, offset: position.toString() }]);
      }
    } catch (error) {
      this.positions.delete(key);
      worker.release(topic, partition);
      this.options.onError(error, topic, partition);
      throw error;
    }
  }
}

function splitKey(key: string): [string, number] {
  const [topic, partition] = key.split('\u0000');
  return [topic, Number(partition)];
}
