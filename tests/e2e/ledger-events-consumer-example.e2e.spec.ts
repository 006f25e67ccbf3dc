import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Producer } from 'kafkajs';
import { Client } from 'pg';
import { TOPICS } from '@rtp/contracts';
import { createKafka } from '@rtp/shared/kafka';
import { LedgerEventsConsumer } from '../../tools/ledger-events-consumer-example';
import { LedgerCommands, connectProducer } from '../support/ledger-commands';
import { Platform, requireEnv } from '../support/platform';
import { RecordedMessage, TopicRecorder } from '../support/topic-recorder';

// The README's example consumer of ledger.events.v1 (tools/ledger-events-consumer-example.ts)
// against a real ledger, Kafka and PostgreSQL: its effects are applied exactly once across a
// failed transaction, a stop and restart (a new consumer of the same group, nothing committed to
// Kafka), events published while it was down and copies of events published a second time.
jest.setTimeout(180_000);

interface Row {
  account_id: string;
  posted_minor: string;
  last_sequence: number;
  events_applied: number;
}

describe('the example exactly-once consumer of ledger.events.v1', () => {
  const platform = new Platform();
  const recorder = new TopicRecorder([TOPICS.ledgerEvents]);
  const suffix = randomUUID().slice(0, 8);
  const schema = `example_team_${suffix}`;
  const groupId = `example-team-${suffix}`;
  const accounts = [`acc-example-a-${suffix}`, `acc-example-b-${suffix}`];
  let producer: Producer;
  let commands: LedgerCommands;
  let database: Client;
  let failures = 0;

  const consumer = () =>
    new LedgerEventsConsumer({
      databaseUrl: requireEnv('DATABASE_URL'),
      kafkaBrokers: requireEnv('KAFKA_BROKERS').split(','),
      groupId,
      schema,
      start: 'end',
      // The first transaction fails after its effects, before its commit: nothing of it stays.
      beforeCommit: async () => {
        if (failures === 0) {
          failures += 1;
          throw new Error('injected failure before commit');
        }
      },
    });

  beforeAll(async () => {
    await platform.start('ledger');
    ({ producer } = await connectProducer(`example-consumer-test-${suffix}`));
    commands = new LedgerCommands(producer);
    database = new Client({ connectionString: requireEnv('DATABASE_URL') });
    await database.connect();
    await recorder.start();
  });
  afterAll(async () => {
    await recorder.stop();
    await database.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await database.end();
    await producer.disconnect();
    await platform.stopAll();
  });

  const send = (messages: { key: string; value: Buffer }[]) =>
    producer.send({ topic: TOPICS.ledgerCommands, acks: -1, messages });

  /** The balance-carrying events of an account as the topic holds them, one per sequence. */
  const eventsOf = (accountId: string): RecordedMessage[] => {
    const bySequence = new Map<number, RecordedMessage>();
    for (const message of recorder.messages) {
      const data = message.envelope.data as { accountSequence?: number; balance?: unknown };
      if (message.key === accountId && data.balance && typeof data.accountSequence === 'number')
        bySequence.set(data.accountSequence, message);
    }
    return [...bySequence.values()];
  };

  const rows = async (): Promise<Row[]> =>
    (
      await database.query(
        `SELECT account_id, posted_minor::text, last_sequence, events_applied
         FROM ${schema}.account_balances WHERE account_id = ANY($1) ORDER BY account_id`,
        [accounts],
      )
    ).rows;

  /** Waits until the consumer applied every balance-carrying event the topic holds for each. */
  async function caughtUp(depositsPerAccount: number): Promise<Row[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const expected = accounts.map((id) => eventsOf(id).length);
      const current = await rows().catch(() => []);
      const done =
        expected.every((count) => count === depositsPerAccount + 1) &&
        current.length === accounts.length &&
        current.every((row, index) => row.last_sequence === expected[index]);
      if (done) return current;
      if (Date.now() > deadline) throw new Error(`not caught up: ${JSON.stringify(current)}`);
      await sleep(200);
    }
  }

  it('applies each event once across a failed transaction, a restart and duplicate copies', async () => {
    const first = consumer();
    await first.start();
    await send(accounts.map((id) => commands.openAccount(id)));
    await send(
      accounts.flatMap((id) =>
        [100, 200].map((amount) => commands.deposit(id, String(amount)).message),
      ),
    );
    const before = await caughtUp(2);
    expect(before.map((row) => row.posted_minor)).toEqual(['300', '300']);
    expect(failures).toBe(1);
    await first.stop();

    // While no consumer runs: more deposits, and copies (same id, same bytes, later offsets) of
    // every event so far, as a ledger crash between publishing and recording it would leave.
    await send(
      accounts.flatMap((id) =>
        [400, 800].map((amount) => commands.deposit(id, String(amount)).message),
      ),
    );
    const copies = accounts.flatMap((id) => eventsOf(id));
    await producer.send({
      topic: TOPICS.ledgerEvents,
      acks: -1,
      messages: copies.map((message) => ({ key: message.key, value: Buffer.from(message.raw) })),
    });

    const second = consumer();
    await second.start();
    try {
      const after = await caughtUp(4);
      expect(after).toEqual(
        accounts.map((id) => ({
          account_id: id,
          posted_minor: '1500',
          last_sequence: 5,
          // AccountOpened and four deposits: each once, although the topic holds copies.
          events_applied: 5,
        })),
      );
      const copiesOnTopic = recorder.messages.filter((message) => accounts.includes(message.key));
      expect(copiesOnTopic.length).toBeGreaterThanOrEqual(2 * 5 + copies.length);
    } finally {
      await second.stop();
    }
  });

  it('stores its own positions in its schema, not in Kafka', async () => {
    const positions = await database.query(`SELECT count(*)::int AS n FROM ${schema}.positions`);
    expect(positions.rows[0].n).toBeGreaterThan(0);
    const admin = createKafka({
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      clientId: `example-consumer-admin-${suffix}`,
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    }).admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [TOPICS.ledgerEvents] });
      expect(offsets.partitions.every((partition) => partition.offset === '-1')).toBe(true);
    } finally {
      await admin.disconnect();
    }
  });
});
