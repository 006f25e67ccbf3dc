import { DataSource } from 'typeorm';
import { Kafka } from 'kafkajs';
import { CONSUMER_GROUPS, TOPICS } from '@rtp/contracts';
import { OutboxMessage, PartitionRunner } from '@rtp/shared/kafka';
import { ReconciliationProjectionWorker } from './reconciliation-projection.worker';

export interface ReconciliationProjectionOptions {
  kafka: Kafka;
  primary: DataSource;
  deadLetters: (letters: OutboxMessage[]) => Promise<void>;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  fetchWaitMsMax: number;
  stallAfterMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/**
 * The review queue's consumer: one per process (a few events a day per partner; exceptions come
 * in hundreds at most per run), its own group so that it never holds back the payments' projection.
 */
export function reconciliationProjectionRunner(
  options: ReconciliationProjectionOptions,
): PartitionRunner {
  const worker = new ReconciliationProjectionWorker(
    options.primary,
    options.deadLetters,
    (message) => options.log('error', message),
  );
  return new PartitionRunner({
    kafka: options.kafka,
    groupId: CONSUMER_GROUPS.gatewayReconciliation,
    topics: [TOPICS.reconciliationEvents],
    worker,
    batchSizeMax: 500,
    partitionsConsumedConcurrently: 2,
    sessionTimeoutMs: options.sessionTimeoutMs,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    fetchWaitMsMax: options.fetchWaitMsMax,
    stallAfterMs: options.stallAfterMs,
    log: (level, message) => options.log(level, message),
  });
}
