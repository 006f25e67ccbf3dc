import { Producer } from 'kafkajs';

export interface OutboxMessage {
  id: string;
  topic: string;
  key: string;
  value: Buffer;
  messageId: string;
  messageType: string;
  /** The W3C trace context the message continues, sent as the `traceparent` header too. */
  traceparent?: string | null;
}

/**
 * Bytes of message values per produce request: the broker refuses a record batch over its
 * message.max.bytes (1 MiB by default), so a large batch's outbox goes out in several requests.
 */
export const PUBLISH_CHUNK_BYTES_MAX = 512 * 1024;

/**
 * Publishes outbox rows in the order given (their commit order), with acks from all replicas, in
 * requests of at most PUBLISH_CHUNK_BYTES_MAX sent one after another so the order holds.
 * The message id travels as a header too so consumers can dedupe without parsing the body, and the
 * trace context (stored in the envelope) as `traceparent`, as W3C's Kafka convention has it.
 */
export async function publishOutbox(
  producer: Producer,
  messages: readonly OutboxMessage[],
): Promise<void> {
  let chunk: OutboxMessage[] = [];
  let chunkBytes = 0;
  for (const message of messages) {
    if (chunk.length > 0 && chunkBytes + message.value.length > PUBLISH_CHUNK_BYTES_MAX) {
      await send(producer, chunk);
      chunk = [];
      chunkBytes = 0;
    }
    chunk.push(message);
    chunkBytes += message.value.length;
  }
  if (chunk.length > 0) await send(producer, chunk);
}

async function send(producer: Producer, messages: readonly OutboxMessage[]): Promise<void> {
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
        headers: headersOf(message),
      })),
    })),
  });
}

function headersOf(message: OutboxMessage): Record<string, string> {
  const headers: Record<string, string> = {
    'ce-id': message.messageId,
    'ce-type': message.messageType,
  };
  if (message.traceparent) headers.traceparent = message.traceparent;
  return headers;
}
