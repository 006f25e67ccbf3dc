import { Admin, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5_000 },
  });
}

/**
 * The only producer configuration the platform uses: idempotent (no duplicates or reordering from
 * retries), one request in flight per broker, acks from all in-sync replicas, and the Java-compatible
 * murmur2 partitioner so every client puts an account's messages on the same partition.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 5_000 },
  });
}

/** Creates missing topics; existing ones are left as they are (a partition count never shrinks). */
export async function ensureTopics(
  admin: Admin,
  topics: readonly string[],
  partitionCount: number,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({
      topic,
      numPartitions: partitionCount,
      replicationFactor: -1,
      configEntries: [{ name: 'min.insync.replicas', value: '1' }],
    })),
  });
  return missing;
}
