import { randomUUID } from 'node:crypto';
import { Consumer, Kafka } from 'kafkajs';
import { createKafka } from '@rtp/shared/kafka';
import { requireEnv } from './platform';

/** A message as read from a topic: its key, offset and the envelope it holds (raw and parsed). */
export interface RecordedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  raw: string;
  envelope: { id: string; type: string; data: Record<string, unknown> } & Record<string, unknown>;
}

/**
 * Records every message of some topics from their beginning, in a consumer group of its own, as
 * an internal team's consumer would read them (the topics are shared by the suites: filter).
 */
export class TopicRecorder {
  readonly messages: RecordedMessage[] = [];
  private readonly kafka: Kafka = createKafka({
    brokers: requireEnv('KAFKA_BROKERS').split(','),
    clientId: `topic-recorder-${randomUUID().slice(0, 8)}`,
    connectionTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
  });
  private consumer: Consumer | null = null;

  constructor(private readonly topics: string[]) {}

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: `topic-recorder-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const raw = message.value?.toString('utf8') ?? '';
        this.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? '',
          raw,
          envelope: JSON.parse(raw),
        });
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
