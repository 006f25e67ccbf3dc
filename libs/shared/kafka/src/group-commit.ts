import { PartitionBatch } from './batch-isolation';
import { consumerMetrics } from './partition-health';
import type { PartitionWorker } from './partition-worker';

/** The partitions a failed group commit found owned by another consumer, if that is why it failed. */
export function fencedPartitionsOf(error: unknown): number[] | null {
  const partitions = (error as { fencedPartitions?: unknown } | null)?.fencedPartitions;
  return Array.isArray(partitions) && partitions.every((p) => typeof p === 'number')
    ? partitions
    : null;
}

/** A group of several partitions' batches failed for another reason: each is retried on its own. */
export class GroupCommitFailed extends Error {
  constructor(override readonly cause: unknown) {
    super(`group commit failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'GroupCommitFailed';
  }
}

interface Pending {
  batch: PartitionBatch;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Commits the batches of several partitions in one transaction: batches submitted while the commits
 * in flight run wait and go together in the next one (natural group commit: no added delay when idle,
 * up to `batchesMax` batches per transaction under load), one batch per partition at most. Up to
 * `inFlightMax` groups commit at once; a consumer hands a partition's next batch only after its
 * previous one ended.
 * A group fenced on some partitions drops those (their callers get the error) and is retried with
 * the rest at once; a group failing otherwise hands every batch back to be tried alone, so that a
 * permanent failure is isolated within its own partition.
 */
export class GroupCommitter {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly commit: (batches: PartitionBatch[]) => Promise<void>,
    private readonly batchesMax: number,
    private readonly inFlightMax = 2,
  ) {}

  submit(batch: PartitionBatch): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.inFlightMax) return;
    this.scheduled = true;
    // One turn of the event loop lets the other partitions' batches of the same fetch join.
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    while (this.queue.length > 0 && this.inFlight < this.inFlightMax) {
      this.inFlight += 1;
      void this.commitGroup(this.takeGroup()).finally(() => {
        this.inFlight -= 1;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  /**
   * The oldest queued batches, at most one per partition: two batches of one partition (a handover
   * between two consumers of one process sharing this committer, while the old owner's batch still
   * waits) must not share a transaction, where one compare-and-set statement would see both and fence
   * neither. In separate transactions the later one is fenced as any former owner is.
   */
  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    const partitions = new Set<string>();
    for (let index = 0; index < this.queue.length && group.length < this.batchesMax;) {
      const { topic, partition } = this.queue[index].batch;
      const key = `${topic}\u0000${partition}`;
      if (partitions.has(key)) {
        index += 1;
        continue;
      }
      partitions.add(key);
      group.push(...this.queue.splice(index, 1));
    }
    return group;
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    let members = group;
    while (members.length > 0) {
      try {
        await this.commit(members.map((member) => member.batch));
        for (const member of members) member.resolve();
        return;
      } catch (error) {
        const fenced = fencedPartitionsOf(error) ?? [];
        const rest = members.filter((member) => !fenced.includes(member.batch.partition));
        if (members.length > 1 && rest.length > 0 && rest.length < members.length) {
          for (const member of members) if (!rest.includes(member)) member.reject(error);
          members = rest;
          continue;
        }
        const handBack = members.length > 1 ? new GroupCommitFailed(error) : error;
        for (const member of members) member.reject(handBack);
        return;
      }
    }
  }
}

/** The group commit over a worker's processMany (null when it has none), observed in the metrics. */
export function groupCommitterFor(
  worker: PartitionWorker,
  groupId: string,
  batchesMax: number,
): GroupCommitter | null {
  const processMany = worker.processMany?.bind(worker);
  if (!processMany) return null;
  return new GroupCommitter((batches) => {
    consumerMetrics.groupCommitPartitions.observe({ group: groupId }, batches.length);
    return processMany(batches);
  }, batchesMax);
}
