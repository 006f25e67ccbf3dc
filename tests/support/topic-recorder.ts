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
  /** The message's headers as text (ce-id, ce-type, traceparent). */
  headers: Record<string, string>;
  envelope: { id: string; type: string; data: Record<string, unknown> } & Record<string, unknown>;
}

/**
 * Records every message of some topics published after it started, in a consumer group of its
 * own, as an internal team's consumer would read them (the topics are shared by the suites: filter).
 * It reads from the beginning, so nothing published while the group is joining is missed, and
 * passes over (unparsed) what the topics held before `start`: earlier suites leave a lot there
 * (the reconciler's volume test alone 100,000 ledger events).
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
    const since = await this.endOffsets();
    this.consumer = this.kafka.consumer({ groupId: `topic-recorder-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        const from = since.get(`${batch.topic}:${batch.partition}`) ?? 0n;
        for (const message of batch.messages) {
          if (BigInt(message.offset) < from) continue;
          const raw = message.value?.toString('utf8') ?? '';
          this.messages.push({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? '',
            raw,
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([name, value]) => [
                name,
                String([value].flat()[0] ?? ''),
              ]),
            ),
            envelope: JSON.parse(raw),
          });
        }
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** `topic:partition` to the offset its next message will have. */
  private async endOffsets(): Promise<Map<string, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = new Map<string, bigint>();
      for (const topic of this.topics) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          ends.set(`${topic}:${partition}`, BigInt(high));
        }
      }
      return ends;
    } finally {
      await admin.disconnect();
    }
  }
}
