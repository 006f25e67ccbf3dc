import type { Admin } from 'kafkajs';
import { Gauge, Histogram } from 'prom-client';

/** How often the lag is refreshed from the brokers' end offsets (never in a batch's path). */
export const LAG_REFRESH_MS = 5_000;

const lagTrackers = new Set<ConsumerLag>();

const lagGauge = new Gauge({
  name: 'kafka_consumer_lag_messages',
  help: 'End offset minus the stored position, per partition this process owns (refreshed every 5 s)',
  labelNames: ['group', 'topic', 'partition'] as const,
  collect() {
    this.reset();
    for (const tracker of lagTrackers) {
      for (const { topic, partition, lag } of tracker.lags()) {
        this.set({ group: tracker.group, topic, partition: String(partition) }, lag);
      }
    }
  },
});
void lagGauge;

export const kafkaConsumerMetrics = {
  batchSize: new Histogram({
    name: 'kafka_consumer_batch_size_messages',
    help: 'Messages per applied chunk of a fetched batch, by consumer group',
    labelNames: ['group'] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
  }),
  commitSeconds: new Histogram({
    name: 'kafka_consumer_commit_seconds',
    help: 'Time from handing a chunk to its worker to its durable commit (its position included)',
    labelNames: ['group'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
};

/** Records one committed chunk: its size and how long its commit took since `startedAt` (hrtime). */
export function observeChunkCommitted(group: string, size: number, startedAt: bigint): void {
  kafkaConsumerMetrics.batchSize.observe({ group }, size);
  kafkaConsumerMetrics.commitSeconds.observe(
    { group },
    Number(process.hrtime.bigint() - startedAt) / 1e9,
  );
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * A consumer's lag on the partitions assigned to it: the end offset (read from the brokers every few
 * seconds) minus the position committed with the work (known in memory after each batch; before the
 * first batch of an assignment, Kafka's copy of it, which trails by at most a second).
 */
export class ConsumerLag {
  private assigned: { topic: string; partition: number }[] = [];
  private readonly positions = new Map<string, bigint>();
  private current = new Map<string, { topic: string; partition: number; lag: number }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly group: string,
    private readonly admin: () => Admin | null,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    lagTrackers.add(this);
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.refresh().catch(this.onError);
    }, LAG_REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    lagTrackers.delete(this);
  }

  /** A new assignment (kafkajs GROUP_JOIN's memberAssignment): the partitions to report. */
  assign(assignment: Record<string, number[]>): void {
    this.assigned = Object.entries(assignment).flatMap(([topic, partitions]) =>
      partitions.map((partition) => ({ topic, partition })),
    );
    this.positions.clear();
    this.current = new Map();
  }

  /** The partition's next offset as the worker's database now stores it. */
  position(topic: string, partition: number, nextOffset: bigint): void {
    this.positions.set(keyOf(topic, partition), nextOffset);
  }

  lags(): Iterable<{ topic: string; partition: number; lag: number }> {
    return this.current.values();
  }

  async refresh(): Promise<void> {
    const admin = this.admin();
    const assigned = this.assigned;
    if (!admin || assigned.length === 0) return;
    const topics = [...new Set(assigned.map((each) => each.topic))];
    const ends = new Map<string, bigint>();
    for (const topic of topics) {
      for (const entry of await admin.fetchTopicOffsets(topic)) {
        ends.set(keyOf(topic, entry.partition), BigInt(entry.high));
      }
    }
    const copies = new Map<string, bigint>();
    if (assigned.some((each) => !this.positions.has(keyOf(each.topic, each.partition)))) {
      for (const { topic, partitions } of await admin.fetchOffsets({
        groupId: this.group,
        topics,
      })) {
        for (const { partition, offset } of partitions) {
          if (offset !== '-1') copies.set(keyOf(topic, partition), BigInt(offset));
        }
      }
    }
    if (assigned !== this.assigned) return; // reassigned meanwhile: the next refresh reports it
    const next = new Map<string, { topic: string; partition: number; lag: number }>();
    for (const { topic, partition } of assigned) {
      const key = keyOf(topic, partition);
      const end = ends.get(key);
      const position = this.positions.get(key) ?? copies.get(key) ?? 0n;
      if (end === undefined) continue;
      next.set(key, { topic, partition, lag: Number(end > position ? end - position : 0n) });
    }
    this.current = next;
  }
}
