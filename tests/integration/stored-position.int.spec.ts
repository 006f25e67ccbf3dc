import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin, Kafka, Producer } from 'kafkajs';
import { Pool } from 'pg';
import {
  PartitionBatch,
  PartitionRunner,
  PartitionWorker,
  StoredPosition,
  createIdempotentProducer,
  createKafka,
  ensureTopics,
} from '@rtp/shared/kafka';
import { inTransaction } from '../support/pg-transaction';
import { requireEnv } from '../support/platform';

jest.setTimeout(180_000);

/** Stores each message and the position with its identity in one transaction, as the services do. */
class StoringWorker implements PartitionWorker {
  constructor(
    private readonly pool: Pool,
    private readonly runId: string,
  ) {}

  async acquire(_topic: string, partition: number): Promise<StoredPosition> {
    const { rows } = await this.pool.query(
      `INSERT INTO test_position.offsets VALUES ($1, $2, 0, NULL) ON CONFLICT (run_id, partition)
       DO UPDATE SET run_id = EXCLUDED.run_id RETURNING next_offset, last_message_identity`,
      [this.runId, partition],
    );
    return {
      nextOffset: BigInt(rows[0].next_offset),
      lastMessageIdentity: rows[0].last_message_identity,
    };
  }

  async process(batch: PartitionBatch): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const moved = await client.query(
        `UPDATE test_position.offsets SET next_offset = $3,
        last_message_identity = $5 WHERE run_id = $1 AND partition = $2 AND next_offset = $4`,
        [
          this.runId,
          batch.partition,
          batch.toOffset.toString(),
          batch.fromOffset.toString(),
          batch.lastMessageIdentity,
        ],
      );
      if (moved.rowCount !== 1) throw new Error('fenced');
      for (const message of batch.messages) {
        await client.query('INSERT INTO test_position.consumed VALUES ($1, $2)', [
          this.runId,
          message.value!.toString(),
        ]);
      }
    });
  }

  release(): void {}
}

describe('a stored position on a log that was replaced (topic deleted and created again)', () => {
  const runId = randomUUID();
  const topic = `test.position.${runId}`;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let pool: Pool;
  let runner: PartitionRunner | null = null;
  const logs: string[] = [];

  const consumed = async () =>
    (
      await pool.query<{ value: string }>(
        'SELECT value FROM test_position.consumed WHERE run_id = $1 ORDER BY value',
        [runId],
      )
    ).rows.map((row) => row.value);
  const send = (values: string[]) =>
    producer.send({
      topic,
      acks: -1,
      messages: values.map((value) => ({ key: 'account-1', value, headers: { 'ce-id': value } })),
    });
  const startRunner = async () => {
    runner = new PartitionRunner({
      kafka,
      groupId: `test-position-${runId}`,
      topics: [topic],
      worker: new StoringWorker(pool, runId),
      batchSizeMax: 100,
      partitionsConsumedConcurrently: 1,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 500,
      fetchWaitMsMax: 50,
      stallAfterMs: 30_000,
      positionRecheckMs: 1_000,
      log: (_level, message) => logs.push(message),
    });
    await runner.start();
  };
  const problems = () => {
    try {
      runner!.assertHealthy();
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };
  async function until<T>(
    what: () => Promise<T> | T,
    done: (value: T) => boolean,
    timeoutMs = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let value = await what();
    while (!done(value) && Date.now() < deadline) {
      await sleep(200);
      value = await what();
    }
    return value;
  }
  async function recreateTopic(): Promise<void> {
    await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
    await until(
      async () => (await admin.listTopics()).includes(topic),
      (exists) => !exists,
    );
    for (let attempt = 0; ; attempt += 1) {
      try {
        await ensureTopics(admin, [topic], 1);
        return;
      } catch (error) {
        if (attempt > 20) throw error;
        await sleep(500);
      }
    }
  }

  beforeAll(async () => {
    kafka = createKafka({
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      clientId: 'test-position',
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    });
    pool = new Pool({ connectionString: requireEnv('DATABASE_URL'), max: 4 });
    await pool.query(`CREATE SCHEMA IF NOT EXISTS test_position;
      CREATE TABLE IF NOT EXISTS test_position.consumed (run_id text, value text);
      CREATE TABLE IF NOT EXISTS test_position.offsets (run_id text, partition int, next_offset bigint,
        last_message_identity text, PRIMARY KEY (run_id, partition));`);
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic], 1);
    producer = createIdempotentProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await runner?.stop();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await pool.end();
  });

  it('stops that partition loudly, skips nothing, and resumes after the documented reset', async () => {
    await send(['a1', 'a2', 'a3', 'a4', 'a5']);
    await startRunner();
    expect(await until(consumed, (values) => values.length === 5)).toEqual([
      'a1',
      'a2',
      'a3',
      'a4',
      'a5',
    ]);
    await runner!.stop();
    runner = null;

    await recreateTopic();
    await send(['b1', 'b2', 'b3']);
    await startRunner();
    // Stored position 5 is beyond the new log's end (3).
    expect(await until(problems, (text) => text.includes('beyond the log end'))).toContain(
      `${topic}[0] position`,
    );
    await sleep(2_000);
    expect(await consumed()).toHaveLength(5);

    // The new log grows past the stored position: offsets alone would now skip b1..b5.
    await send(['b4', 'b5', 'b6']);
    expect(await until(problems, (text) => text.includes('is not the one'))).toContain(
      `${topic}[0] position`,
    );
    await sleep(2_000);
    expect(await consumed()).toHaveLength(5);
    expect(logs.some((line) => line.includes(`stopped ${topic}[0]`))).toBe(true);

    // The runbook's decision for a log whose messages are all new: consume it from its start.
    await pool.query(
      'UPDATE test_position.offsets SET next_offset = 0, last_message_identity = NULL WHERE run_id = $1',
      [runId],
    );
    const all = await until(consumed, (values) => values.length === 11);
    expect(all).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6']);
    expect(await until(problems, (text) => text === '')).toBe('');
  });
});
