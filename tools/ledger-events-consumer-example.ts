// An example consumer of ledger.events.v1 for an internal team: each account's posted balance,
// kept in the team's own PostgreSQL schema, exactly once. It needs only kafkajs and pg:
//
//   DATABASE_URL=postgres://... KAFKA_BROKERS=127.0.0.1:9092 \
//     node -r @swc-node/register tools/ledger-events-consumer-example.ts
//
// How it is exactly once (see the README's "Consuming ledger.events.v1 exactly once"):
// - its own consumer group (never a platform group: it would take the platform's partitions);
// - its own stored position per partition, in its own table, written in the same transaction as
//   its effects: after a crash it resumes where its last commit left, whatever Kafka redelivers;
//   the position row is locked first, so a former owner of a partition still running after a
//   rebalance finds the position moved and skips what the new owner applied;
// - per account, the last accountSequence applied: a copy of an event the ledger published twice
//   (same id, a later offset, after a ledger crash) is not applied again.
// Kafka's committed offsets are not used at all (autoCommit off); on joining the group it seeks
// each partition to the stored position.
import { Consumer, EachBatchPayload, Kafka, logLevel } from 'kafkajs';
import { Pool, PoolClient } from 'pg';
import { TOPICS, decodeEnvelope } from '@rtp/contracts';

export interface LedgerEventsConsumerOptions {
  databaseUrl: string;
  kafkaBrokers: string[];
  /** The team's consumer group, its own. */
  groupId: string;
  /** The team's schema: its positions and its read model. */
  schema: string;
  /** Where a partition without a stored position starts: the whole history, or from now on. */
  start: 'beginning' | 'end';
  /** Called in the transaction, after the effects and before the commit (tests inject faults). */
  beforeCommit?: (partition: number) => Promise<void>;
}

interface Balance {
  postedMinor: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class LedgerEventsConsumer {
  private readonly pool: Pool;
  private readonly kafka: Kafka;
  private consumer: Consumer | null = null;
  private readonly topic = TOPICS.ledgerEvents;

  constructor(private readonly options: LedgerEventsConsumerOptions) {
    if (!SCHEMA_NAME.test(options.schema)) throw new Error(`bad schema name ${options.schema}`);
    this.pool = new Pool({ connectionString: options.databaseUrl, max: 4 });
    this.kafka = new Kafka({
      clientId: options.groupId,
      brokers: options.kafkaBrokers,
      logLevel: logLevel.WARN,
    });
  }

  async start(): Promise<void> {
    await this.migrate();
    if (this.options.start === 'end') await this.storeEndsWhereMissing();
    const consumer = this.kafka.consumer({ groupId: this.options.groupId });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    // Every (re)join: continue each assigned partition from its stored position.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = payload.memberAssignment[this.topic] ?? [];
      this.seekToStored(consumer, partitions).catch(() => undefined);
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.apply(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.pool.end();
  }

  /** One batch in one transaction: the effects and the position move together or not at all. */
  private async apply({ batch, heartbeat, resolveOffset }: EachBatchPayload): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      let next = await this.lockPosition(client, batch.partition);
      for (const message of batch.messages) {
        const offset = BigInt(message.offset);
        // Redelivered (a crash after our commit, a rebalance): applied already.
        if (offset < next) continue;
        await this.applyEvent(client, message.value);
        next = offset + 1n;
      }
      await client.query(
        `UPDATE ${this.options.schema}.positions SET next_offset = $3
         WHERE topic = $1 AND partition = $2`,
        [this.topic, batch.partition, next.toString()],
      );
      await this.options.beforeCommit?.(batch.partition);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    const last = batch.messages.at(-1);
    if (last) resolveOffset(last.offset);
    await heartbeat();
  }

  /** The partition's stored position, its row locked until the transaction ends. */
  private async lockPosition(client: PoolClient, partition: number): Promise<bigint> {
    await client.query(
      `INSERT INTO ${this.options.schema}.positions (topic, partition, next_offset)
       VALUES ($1, $2, 0) ON CONFLICT DO NOTHING`,
      [this.topic, partition],
    );
    const { rows } = await client.query(
      `SELECT next_offset FROM ${this.options.schema}.positions
       WHERE topic = $1 AND partition = $2 FOR UPDATE`,
      [this.topic, partition],
    );
    return BigInt(rows[0].next_offset);
  }

  /**
   * The team's effect: the stream account's posted balance after each money-moving event, applied
   * once per (account, accountSequence). Other events (and rejections without a stream position)
   * change nothing here; an unreadable one would go to the team's own dead letters.
   */
  private async applyEvent(client: PoolClient, value: Buffer | null): Promise<void> {
    const decoded = decodeEnvelope(value);
    if (!decoded.ok) throw new Error(`undecodable ledger event: ${decoded.reason}`);
    const { partitionkey: accountId, data } = decoded.envelope;
    const { balance, accountSequence, currency } = data as {
      balance?: Balance;
      accountSequence?: number | null;
      currency?: string;
    };
    if (!balance || typeof accountSequence !== 'number') return;
    await client.query(
      `INSERT INTO ${this.options.schema}.account_balances AS b
         (account_id, currency, posted_minor, last_sequence, events_applied)
       VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (account_id) DO UPDATE SET posted_minor = EXCLUDED.posted_minor,
         last_sequence = EXCLUDED.last_sequence, events_applied = b.events_applied + 1,
         currency = COALESCE(b.currency, EXCLUDED.currency)
       WHERE b.last_sequence < EXCLUDED.last_sequence`,
      [accountId, currency ?? null, balance.postedMinor, accountSequence],
    );
  }

  private async seekToStored(consumer: Consumer, partitions: number[]): Promise<void> {
    const { rows } = await this.pool.query(
      `SELECT partition, next_offset FROM ${this.options.schema}.positions
       WHERE topic = $1 AND partition = ANY($2::int[])`,
      [this.topic, partitions],
    );
    for (const row of rows) {
      consumer.seek({ topic: this.topic, partition: row.partition, offset: row.next_offset });
    }
  }

  /** Partitions without a stored position start at the topic's end as it is now. */
  private async storeEndsWhereMissing(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(this.topic);
      await this.pool.query(
        `INSERT INTO ${this.options.schema}.positions (topic, partition, next_offset)
         SELECT $1, p, o FROM unnest($2::int[], $3::bigint[]) AS t(p, o) ON CONFLICT DO NOTHING`,
        [this.topic, ends.map((end) => end.partition), ends.map((end) => end.high)],
      );
    } finally {
      await admin.disconnect();
    }
  }

  private async migrate(): Promise<void> {
    const schema = this.options.schema;
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema};
      CREATE TABLE IF NOT EXISTS ${schema}.positions (topic text NOT NULL,
        partition integer NOT NULL, next_offset bigint NOT NULL, PRIMARY KEY (topic, partition));
      CREATE TABLE IF NOT EXISTS ${schema}.account_balances (account_id text PRIMARY KEY,
        currency text, posted_minor numeric NOT NULL, last_sequence integer NOT NULL,
        events_applied integer NOT NULL)`);
  }
}

if (require.main === module) {
  const required = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const consumer = new LedgerEventsConsumer({
    databaseUrl: required('DATABASE_URL'),
    kafkaBrokers: required('KAFKA_BROKERS').split(','),
    groupId: process.env.CONSUMER_GROUP ?? 'example-team-ledger-balances',
    schema: process.env.CONSUMER_SCHEMA ?? 'example_team',
    start: process.env.CONSUMER_START === 'end' ? 'end' : 'beginning',
  });
  const stop = () => void consumer.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  consumer.start().then(
    () => console.log('consuming ledger.events.v1; Ctrl-C stops'),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
