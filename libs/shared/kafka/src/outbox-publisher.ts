import { Producer } from 'kafkajs';

export interface OutboxMessage {
  id: string;
  topic: string;
  key: string;
  value: Buffer;
  messageId: string;
  messageType: string;
}

/**
 * Publishes outbox rows in the order given (their commit order), with acks from all replicas.
 * The message id travels as a header too so consumers can dedupe without parsing the body.
 */
export async function publishOutbox(producer: Producer, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const byTopic = new Map<string, OutboxMessage[]>();
  for (const message of messages) {
    const list = byTopic.get(message.topic) ?? [];
    list.push(message);
    byTopic.set(message.topic, list);
  }
  await producer.sendBatch({
    acks: -1,
    timeout: 30_000,
    topicMessages: [...byTopic.entries()].map(([topic, list]) => ({
      topic,
      messages: list.map((message) => ({
        key: message.key,
        value: message.value,
        headers: { 'ce-id': message.messageId, 'ce-type': message.messageType },
      })),
    })),
  });
}
