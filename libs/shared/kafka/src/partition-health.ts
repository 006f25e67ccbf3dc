import { Counter, Gauge, Histogram } from 'prom-client';

export interface PartitionProblem {
  topic: string;
  partition: number;
  /** failing: batches keep failing; position: the stored position does not fit the log; slow: stuck. */
  cause: 'failing' | 'position' | 'slow';
  sinceMs: number;
  reason: string;
}

const trackers = new Set<PartitionHealth>();

const stalledGauge = new Gauge({
  name: 'consumer_partition_stalled',
  help: '1 while a partition cannot make progress (cause: failing, position or slow)',
  labelNames: ['group', 'topic', 'partition', 'cause'] as const,
  collect() {
    this.reset();
    for (const tracker of trackers) {
      for (const problem of tracker.problems()) {
        this.set(
          {
            group: tracker.group,
            topic: problem.topic,
            partition: String(problem.partition),
            cause: problem.cause,
          },
          1,
        );
      }
    }
  },
});

export const consumerMetrics = {
  batchFailures: new Counter({
    name: 'consumer_batch_failures_total',
    help: 'Batches that failed and were retried, by consumer group and topic',
    labelNames: ['group', 'topic'],
  }),
  isolated: new Counter({
    name: 'consumer_messages_isolated_total',
    help: 'Messages refused because they alone made their batch fail permanently',
    labelNames: ['group', 'topic'],
  }),
  groupCommitPartitions: new Histogram({
    name: 'consumer_group_commit_partitions',
    help: 'Partitions whose batches one transaction carried',
    labelNames: ['group'],
    buckets: [1, 2, 3, 4, 6, 8, 12, 16, 32],
  }),
  rebuilds: new Counter({
    name: 'consumer_rebuilds_total',
    help: 'Consumers rebuilt in process after the Kafka client gave up on them',
    labelNames: ['group'],
  }),
};
void stalledGauge;

interface Episode {
  sinceMs: number;
  reason: string;
}

/**
 * What each partition of one consumer group is doing, for readiness and metrics: a partition whose
 * batches have failed for longer than `stallAfterMs`, whose stored position does not fit its log, or
 * whose batch has been running that long, is a problem with a reason.
 */
export class PartitionHealth {
  private readonly failing = new Map<string, Episode & { failures: number }>();
  private readonly stopped = new Map<string, Episode>();
  private readonly running = new Map<string, number>();
  private consumerDown: Episode | null = null;

  constructor(
    readonly group: string,
    private readonly stallAfterMs: number,
    private readonly now = Date.now,
  ) {
    trackers.add(this);
  }

  dispose(): void {
    trackers.delete(this);
  }

  /** Records a failure; returns how many in a row the partition has had. */
  failed(topic: string, partition: number, reason: string): number {
    const key = keyOf(topic, partition);
    const episode = this.failing.get(key) ?? { sinceMs: this.now(), reason, failures: 0 };
    episode.failures += 1;
    episode.reason = reason;
    this.failing.set(key, episode);
    return episode.failures;
  }

  progressed(topic: string, partition: number): void {
    this.failing.delete(keyOf(topic, partition));
    this.stopped.delete(keyOf(topic, partition));
  }

  stoppedAt(topic: string, partition: number, reason: string): void {
    const key = keyOf(topic, partition);
    this.stopped.set(key, { sinceMs: this.stopped.get(key)?.sinceMs ?? this.now(), reason });
  }

  batchStarted(topic: string, partition: number): void {
    this.running.set(keyOf(topic, partition), this.now());
  }

  batchEnded(topic: string, partition: number): void {
    this.running.delete(keyOf(topic, partition));
  }

  consumerStopped(reason: string): void {
    this.consumerDown ??= { sinceMs: this.now(), reason };
  }

  consumerRunning(): void {
    this.consumerDown = null;
  }

  /** Forgets partitions after a rebalance: their new owner checks and reports on them. */
  reassigned(): void {
    this.failing.clear();
    this.running.clear();
    this.stopped.clear();
  }

  problems(): PartitionProblem[] {
    const now = this.now();
    const old = (sinceMs: number) => now - sinceMs >= this.stallAfterMs;
    const list: PartitionProblem[] = [];
    for (const [key, episode] of this.stopped)
      list.push({ ...splitKey(key), cause: 'position', ...episode });
    for (const [key, episode] of this.failing) {
      if (old(episode.sinceMs)) {
        list.push({
          ...splitKey(key),
          cause: 'failing',
          sinceMs: episode.sinceMs,
          reason: `${episode.failures} failures in a row, last: ${episode.reason}`,
        });
      }
    }
    for (const [key, sinceMs] of this.running) {
      if (old(sinceMs))
        list.push({ ...splitKey(key), cause: 'slow', sinceMs, reason: 'a batch has been running' });
    }
    return list;
  }

  /** Throws with every problem named (topic, partition, why), for a readiness check. */
  assertHealthy(): void {
    const messages = this.problems().map(
      (problem) =>
        `${problem.topic}[${problem.partition}] ${problem.cause} for ${Math.round((this.now() - problem.sinceMs) / 1000)} s: ` +
        problem.reason,
    );
    if (this.consumerDown && this.now() - this.consumerDown.sinceMs >= this.stallAfterMs) {
      messages.unshift(`consumer group ${this.group} not running: ${this.consumerDown.reason}`);
    }
    if (messages.length > 0) throw new Error(messages.join('; '));
  }
}

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function splitKey(key: string): { topic: string; partition: number } {
  const [topic, partition] = key.split('\u0000');
  return { topic, partition: Number(partition) };
}
