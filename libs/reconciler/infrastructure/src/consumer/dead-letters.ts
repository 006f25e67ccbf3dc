import { KafkaMessage } from 'kafkajs';
import { Counter, register } from 'prom-client';
import { TOPICS, deadLetterOf } from '@rtp/contracts';
import { OutgoingMessage } from '@rtp/reconciler/application';

/** A consumed message the reconciler cannot use, with why: it goes to reconciler.dlq.v1. */
export interface Unusable {
  message: KafkaMessage;
  reason: string;
}

export const reconcilerDeadLetters = new Counter({
  name: 'reconciler_dead_letters_total',
  help: 'Messages the reconciler could not read and sent to reconciler.dlq.v1, by source topic',
  labelNames: ['topic'] as const,
  registers: [register],
});

/**
 * The dead letter of `unusable`, written through the outbox in the transaction that moves the
 * position past it: no message is ever skipped without a trace a person can read and replay.
 */
export function deadLetterMessage(
  topic: string,
  partition: number,
  { message, reason }: Unusable,
): OutgoingMessage {
  const { letter } = deadLetterOf(
    { topic, partition, offset: message.offset, key: message.key, value: message.value },
    reason,
  );
  return {
    topic: TOPICS.reconcilerDeadLetters,
    key: message.key?.toString('utf8') ?? `partition-${partition}`,
    messageId: letter.id,
    messageType: 'DeadLetter',
    payload: letter as unknown as Record<string, unknown>,
  };
}
