import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Pool } from 'pg';
import { Kafka } from 'kafkajs';
import {
  PartitionBatch,
  PartitionRunner,
  StoredPosition,
  PartitionWorker,
  createIdempotentProducer,
  createKafka,
  ensureTopics,
} from '@rtp/shared/kafka';
import { inTransaction } from '../support/pg-transaction';
import { requireEnv } from '../support/platform';

jest.setTimeout(180_000);

const KEYS = 24;
const MESSAGES_PER_KEY = 120;
const PARTITIONS = 6;

/** Records each message with its consumer, moving a stored offset with compare-and-set, as services do. */
class RecordingWorker implements PartitionWorker {
  constructor(
    private readonly pool: Pool,
    private readonly runId: string,
    private readonly consumer: string,
  ) {}

  async acquire(topic: string, partition: number): Promise<StoredPosition> {
    const { rows } = await this.pool.query(
      `INSERT INTO test_order.offsets VALUES ($1, $2, 0) ON CONFLICT (run_id, partition)
       DO UPDATE SET run_id = EXCLUDED.run_id RETURNING next_offset`,
      [this.runId, partition],
    );
    return { nextOffset: BigInt(rows[0].next_offset), lastMessageIdentity: null };
  }

  async process(batch: PartitionBatch): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const moved = await client.query(
        `UPDATE test_order.offsets SET next_offset = $3 WHERE run_id = $1 AND partition = $2 AND next_offset = $4`,
        [this.runId, batch.partition, batch.toOffset.toString(), batch.fromOffset.toString()],
      );
      if (moved.rowCount !== 1) throw new Error('fenced');
      for (const message of batch.messages) {
        const [key, sequence] = message.value!.toString().split(':');
        await client.query(
          'INSERT INTO test_order.consumed (run_id, key, sequence, consumer) VALUES ($1, $2, $3, $4)',
          [this.runId, key, Number(sequence), this.consumer],
        );
      }
    });
    await sleep(50);
  }

  release(): void {}
}

describe('a consumer group of two whose membership changes mid-stream', () => {
  const runId = randomUUID();
  const topic = `test.order.${runId}`;
  let kafka: Kafka;
  let pool: Pool;
  const runners: PartitionRunner[] = [];

  const countConsumed = async () =>
    Number(
      (await pool.query('SELECT count(*) FROM test_order.consumed WHERE run_id = $1', [runId]))
        .rows[0].count,
    );

  const runner = (name: string) =>
    new PartitionRunner({
      kafka,
      groupId: `test-order-${runId}`,
      topics: [topic],
      worker: new RecordingWorker(pool, runId, name),
      batchSizeMax: 10,
      partitionsConsumedConcurrently: 2,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 500,
      fetchWaitMsMax: 50,
      stallAfterMs: 30_000,
      log: () => undefined,
    });

  beforeAll(async () => {
    kafka = createKafka({
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      clientId: 'test-order',
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    });
    pool = new Pool({ connectionString: requireEnv('DATABASE_URL'), max: 6 });
    const setup = new Client({ connectionString: requireEnv('DATABASE_URL') });
    await setup.connect();
    await setup.query(`CREATE SCHEMA IF NOT EXISTS test_order;
      CREATE TABLE IF NOT EXISTS test_order.consumed (id bigserial PRIMARY KEY, run_id text, key text,
        sequence int, consumer text);
      CREATE TABLE IF NOT EXISTS test_order.offsets (run_id text, partition int, next_offset bigint,
        PRIMARY KEY (run_id, partition));`);
    await setup.end();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic], PARTITIONS);
    await admin.disconnect();
  });

  afterAll(async () => {
    await Promise.all(runners.map((each) => each.stop()));
    await pool.end();
  });

  it('keeps every key in order, with no loss and no duplicates, across the rebalance', async () => {
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    for (let sequence = 1; sequence <= MESSAGES_PER_KEY; sequence += 1) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: KEYS }, (_, key) => ({
          key: `account-${key}`,
          value: `account-${key}:${sequence}`,
        })),
      });
    }
    await producer.disconnect();

    runners.push(runner('first'));
    await runners[0].start();
    const total = KEYS * MESSAGES_PER_KEY;
    while ((await countConsumed()) < total / 5) await sleep(50);
    runners.push(runner('second'));
    await runners[1].start();
    const deadline = Date.now() + 120_000;
    while ((await countConsumed()) < total && Date.now() < deadline) await sleep(200);

    const { rows } = await pool.query<{ key: string; sequence: number; consumer: string }>(
      'SELECT key, sequence, consumer FROM test_order.consumed WHERE run_id = $1 ORDER BY id',
      [runId],
    );
    expect(rows).toHaveLength(total);
    const byKey = new Map<string, number[]>();
    for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row.sequence]);
    const expected = Array.from({ length: MESSAGES_PER_KEY }, (_, index) => index + 1);
    for (const sequences of byKey.values()) expect(sequences).toEqual(expected);
    expect(byKey.size).toBe(KEYS);
    expect(new Set(rows.map((row) => row.consumer))).toEqual(new Set(['first', 'second']));
  });
});
