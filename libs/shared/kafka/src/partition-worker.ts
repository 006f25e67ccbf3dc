import { Kafka } from 'kafkajs';
import { PartitionBatch } from './batch-isolation';
import type { GroupCommitter } from './group-commit';
import { StoredPosition } from './position-check';

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
   * Applies several partitions' batches in one transaction, each with its own offset compare-and-set.
   * Fenced partitions make it throw an error whose `fencedPartitions` lists them (nothing written);
   * the runner then retries the others. Without it every batch commits on its own.
   */
  processMany?(batches: PartitionBatch[]): Promise<void>;
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
  /**
   * The group commit to submit batches to, when several runners (consumers of one group in one
   * process) share one, so that one transaction carries what each of them fetched; by default each
   * runner has its own (see `groupCommitterFor`).
   */
  groupCommitter?: GroupCommitter;
  log: (level: 'warn' | 'error', message: string) => void;
}

const RETRY_DELAY_MS_MIN = 500;
const RETRY_DELAY_MS_MAX = 30_000;

/** Backoff for a failing partition or a consumer being rebuilt: 0.5 s doubling to 30 s. */
export function retryDelayMs(failures: number): number {
  return Math.min(RETRY_DELAY_MS_MAX, RETRY_DELAY_MS_MIN * 2 ** Math.max(0, failures - 1));
}
