import { KafkaMessage } from 'kafkajs';
import { TOPICS, deadLetterOf } from '@rtp/contracts';
import { OutboxMessage } from '@rtp/shared/kafka';

/**
 * The dead letters, on gateway.projection.dlq.v1, of messages one of the gateway's consumers (the
 * read models' projection, the review queue's, the webhooks' intake) could not use: the original
 * key and bytes, the reason, an id per (topic, partition, offset) so that a retry sends the same.
 */
export function projectionDeadLetters(
  topic: string,
  partition: number,
  unusable: readonly { message: KafkaMessage; reason: string }[],
): OutboxMessage[] {
  return unusable.map(({ message, reason }) => {
    const { letter, json } = deadLetterOf(
      { topic, partition, offset: message.offset, key: message.key, value: message.value },
      reason,
    );
    return {
      id: letter.id,
      topic: TOPICS.projectionDeadLetters,
      key: message.key?.toString('utf8') ?? `partition-${partition}`,
      messageId: letter.id,
      messageType: 'DeadLetter',
      value: Buffer.from(json, 'utf8'),
    };
  });
}
