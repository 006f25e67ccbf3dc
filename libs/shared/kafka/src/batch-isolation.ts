import { KafkaMessage } from 'kafkajs';
import { messageIdentity } from './message-identity';

export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** The offset stored in the database before this batch (compare-and-set expectation). */
  fromOffset: bigint;
  /** The offset to store with this batch's effects: last message offset + 1. */
  toOffset: bigint;
  /** Identity of the batch's last message, stored with toOffset (see messageIdentity). */
  lastMessageIdentity: string;
}

export function partitionBatch(
  topic: string,
  partition: number,
  messages: KafkaMessage[],
  fromOffset: bigint,
): PartitionBatch {
  const last = messages[messages.length - 1];
  return {
    topic,
    partition,
    messages,
    fromOffset,
    toOffset: BigInt(last.offset) + 1n,
    lastMessageIdentity: messageIdentity(last),
  };
}

export interface IsolationSteps {
  apply(batch: PartitionBatch): Promise<void>;
  /** Commits a refusal of the batch's only message (its position advances past it). */
  isolate(batch: PartitionBatch, error: unknown): Promise<void>;
  isPermanent(error: unknown): boolean;
}

/**
 * Applies a batch; when it fails for a reason the same input will cause again, splits it in halves
 * (each committed on its own, in order) until the message(s) that cause the failure stand alone, and
 * has those refused, so that the rest of the partition moves on. Transient failures are rethrown for
 * the whole batch to be retried. At most 2·log2(n) extra transactions per bad message.
 */
export async function applyIsolating(batch: PartitionBatch, steps: IsolationSteps): Promise<void> {
  try {
    await steps.apply(batch);
  } catch (error) {
    if (!steps.isPermanent(error)) throw error;
    if (batch.messages.length === 1) {
      await steps.isolate(batch, error);
      return;
    }
    const middle = Math.floor(batch.messages.length / 2);
    const first = partitionBatch(
      batch.topic,
      batch.partition,
      batch.messages.slice(0, middle),
      batch.fromOffset,
    );
    await applyIsolating(first, steps);
    await applyIsolating(
      partitionBatch(batch.topic, batch.partition, batch.messages.slice(middle), first.toOffset),
      steps,
    );
  }
}
