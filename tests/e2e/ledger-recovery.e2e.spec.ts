import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, Producer } from 'kafkajs';
import { TOPICS, commandIds, createEnvelope, encodeEnvelope } from '@rtp/contracts';
import { createIdempotentProducer, createKafka } from '@rtp/shared/kafka';
import { GatewayClient } from '../support/http-client';
import { LedgerDatabase, runVerify } from '../support/ledger-database';
import { Platform, requireEnv } from '../support/platform';

jest.setTimeout(600_000);

interface Account {
  id: string;
}
interface Payment {
  id: string;
}

describe('ledger recovery', () => {
  const platform = new Platform();
  const database = new LedgerDatabase();
  let kafka: Kafka;
  let producer: Producer;
  let admin: GatewayClient;
  let client: GatewayClient;
  let accounts: Account[];

  const pay = async (index: number) =>
    (
      await client.post<Payment>(
        '/v1/payments',
        {
          sourceAccountId: accounts[index % accounts.length].id,
          destinationAccountId: accounts[(index + 1) % accounts.length].id,
          amount: '5',
          currency: 'EUR',
        },
        { 'idempotency-key': randomUUID(), prefer: 'respond-async' },
      )
    ).body.id;

  async function allTerminal(ids: string[], timeoutMs: number): Promise<Map<string, string[]>> {
    const deadline = Date.now() + timeoutMs;
    let outcomes = await database.terminalOutcomes(ids);
    while (outcomes.size < ids.length && Date.now() < deadline) {
      await sleep(500);
      outcomes = await database.terminalOutcomes(ids);
    }
    return outcomes;
  }

  async function lagOf(groupId: string): Promise<bigint> {
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    try {
      const ends = await kafkaAdmin.fetchTopicOffsets(TOPICS.ledgerCommands);
      const stored = new Map(
        (
          await database.rows<{ partition: number; next_offset: string }>(
            `SELECT partition, next_offset FROM ledger.consumer_offsets WHERE consumer_group = $1 AND topic = $2`,
            [groupId, TOPICS.ledgerCommands],
          )
        ).map((row) => [row.partition, BigInt(row.next_offset)]),
      );
      return ends.reduce(
        (lag, end) => lag + BigInt(end.high) - (stored.get(end.partition) ?? 0n),
        0n,
      );
    } finally {
      await kafkaAdmin.disconnect();
    }
  }

  beforeAll(async () => {
    await database.connect();
    kafka = createKafka({
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      clientId: 'test-recovery',
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    });
    producer = createIdempotentProducer(kafka);
    await producer.connect();
    await platform.start('ledger');
    await platform.start('gateway');
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    client = admin.withKey(
      (await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Recovery' })).body.apiKey,
    );
    accounts = [];
    for (let index = 0; index < 10; index += 1) {
      const account = (
        await client.post<Account>('/v1/accounts', { currency: 'EUR' }, { prefer: 'wait=10' })
      ).body;
      await admin.post(
        '/v1/admin/deposits',
        { accountId: account.id, amount: '100000', currency: 'EUR', reference: 'funding' },
        { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
      );
      accounts.push(account);
    }
  });

  afterAll(async () => {
    await producer?.disconnect();
    await platform.stopAll();
    await database.end();
  });

  it('sends 100 poison messages to the dead-letter topic while the partition keeps flowing', async () => {
    const target = accounts[0].id;
    const before = BigInt(
      (
        await database.rows<{ posted_minor: string }>(
          'SELECT posted_minor FROM ledger.accounts WHERE account_id = $1',
          [target],
        )
      )[0].posted_minor,
    );
    const valid = (index: number) => {
      const depositId = randomUUID();
      return encodeEnvelope(
        createEnvelope({
          id: commandIds.deposit(depositId),
          type: 'Deposit',
          source: 'test',
          time: new Date(),
          partitionKey: target,
          correlationId: depositId,
          causationId: null,
          data: {
            depositId,
            accountId: target,
            amountMinor: String(index + 1),
            currency: 'EUR',
            partnerId: 'sandbox',
            reference: `valid ${index}`,
          },
        }),
      );
    };
    const poisons = [
      () => Buffer.from('not json at all'),
      () => Buffer.from(JSON.stringify({ hello: 'world' })),
      () =>
        encodeEnvelope(
          createEnvelope({
            id: randomUUID(),
            type: 'NoSuchCommand',
            source: 'test',
            time: new Date(),
            partitionKey: target,
            correlationId: 'x',
            causationId: null,
            data: {},
          }),
        ),
      () =>
        encodeEnvelope(
          createEnvelope({
            id: randomUUID(),
            type: 'Deposit',
            source: 'test',
            time: new Date(),
            partitionKey: target,
            correlationId: 'x',
            causationId: null,
            data: {
              depositId: 'd',
              accountId: target,
              amountMinor: '-5',
              currency: 'EUR',
              partnerId: 'p',
              reference: '',
            },
          }),
        ),
    ];
    const messages = [];
    for (let index = 0; index < 100; index += 1) {
      messages.push({ key: target, value: poisons[index % poisons.length]() });
      if (index % 5 === 0) messages.push({ key: target, value: valid(index / 5) });
    }
    const dlqSeen = new Set<string>();
    const consumer = kafka.consumer({ groupId: `test-dlq-${randomUUID()}`, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.ledgerDeadLetters, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const letter = JSON.parse(message.value!.toString());
        if (Buffer.from(letter.key ?? '', 'base64').toString() === target) dlqSeen.add(letter.id);
      },
    });
    await producer.send({ topic: TOPICS.ledgerCommands, acks: -1, messages });

    const expected =
      before +
      BigInt(Array.from({ length: 20 }, (_, index) => index + 1).reduce((a, b) => a + b, 0));
    const deadline = Date.now() + 60_000;
    let posted = before;
    while ((dlqSeen.size < 100 || posted !== expected) && Date.now() < deadline) {
      await sleep(300);
      posted = BigInt(
        (
          await database.rows<{ posted_minor: string }>(
            'SELECT posted_minor FROM ledger.accounts WHERE account_id = $1',
            [target],
          )
        )[0].posted_minor,
      );
    }
    await consumer.disconnect();
    expect(dlqSeen.size).toBe(100);
    expect(posted).toBe(expected);
  });

  it('lets a consumer paused past the session timeout write nothing twice when it resumes', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 50; index += 1) ids.push(await pay(index));
    const zombie = platform.handle('ledger');
    zombie.child.kill('SIGSTOP');
    try {
      await platform.start('ledger-b');
      for (let index = 0; index < 50; index += 1) ids.push(await pay(index + 3));
      expect((await allTerminal(ids, 120_000)).size).toBe(ids.length);
    } finally {
      zombie.child.kill('SIGCONT');
    }
    await sleep(15_000);
    for (let index = 0; index < 50; index += 1) ids.push(await pay(index + 5));
    const outcomes = await allTerminal(ids, 120_000);
    expect(outcomes.size).toBe(150);
    expect([...outcomes.values()].filter((types) => types.length !== 1)).toEqual([]);
    const total = (
      await database.rows<{ total: string }>(
        'SELECT sum(posted_minor)::text AS total FROM ledger.accounts WHERE account_id = ANY($1::text[])',
        [accounts.map((account) => account.id)],
      )
    )[0].total;
    expect(BigInt(total)).toBe(10n * 100_000n + 210n);
    const verification = runVerify();
    expect(verification.output).toContain('The ledger is consistent.');
  });

  it("publishes each account's events in commit order with no gaps", async () => {
    const streams = new Map<string, number[]>();
    const ids = new Set(accounts.map((account) => account.id));
    const expected = new Map(
      (
        await database.rows<{ account_id: string; sequence: string }>(
          'SELECT account_id, sequence FROM ledger.accounts WHERE account_id = ANY($1::text[])',
          [[...ids]],
        )
      ).map((row) => [row.account_id, Number(row.sequence)]),
    );
    const consumer = kafka.consumer({
      groupId: `test-order-${randomUUID()}`,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.ledgerEvents, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString() ?? '';
        if (!ids.has(key)) return;
        const sequence = JSON.parse(message.value!.toString()).data.accountSequence as
          number | null;
        if (sequence !== null) streams.set(key, [...(streams.get(key) ?? []), sequence]);
      },
    });
    const complete = () =>
      [...expected].every(([id, last]) => (streams.get(id) ?? []).includes(last));
    const deadline = Date.now() + 60_000;
    while (!complete() && Date.now() < deadline) await sleep(300);
    await consumer.disconnect();
    for (const [accountId, last] of expected) {
      // A re-publish after a crash may repeat earlier events; after dropping repeats, none may be missing.
      const firstSeen = (streams.get(accountId) ?? []).filter((sequence, index, all) =>
        all.slice(0, index).every((earlier) => earlier < sequence),
      );
      expect({ accountId, sequences: firstSeen }).toEqual({
        accountId,
        sequences: Array.from({ length: last }, (_, index) => index + 1),
      });
    }
  });

  it('makes verify fail when a stored event is altered, and pass again once it is restored', async () => {
    const [event] = await database.rows<{ event_id: string; data: object }>(
      `SELECT event_id, data FROM ledger.events WHERE account_id = $1 AND sequence = 2`,
      [accounts[1].id],
    );
    const tamper = async (data: object) => {
      await database.rows('BEGIN');
      await database.rows('ALTER TABLE ledger.events DISABLE TRIGGER USER');
      await database.rows('UPDATE ledger.events SET data = $1::jsonb WHERE event_id = $2', [
        JSON.stringify(data),
        event.event_id,
      ]);
      await database.rows('ALTER TABLE ledger.events ENABLE TRIGGER USER');
      await database.rows('COMMIT');
    };
    await tamper({ ...event.data, amountMinor: '999999' });
    try {
      const tampered = runVerify();
      expect(tampered.code).toBe(1);
      expect(tampered.output).toContain(`${accounts[1].id}: event 2`);
    } finally {
      await tamper(event.data);
    }
    expect(runVerify().code).toBe(0);
  });

  it('changes no balance when the command topic is replayed from offset 0 into a fresh consumer group', async () => {
    const balancesBefore = await database.balances();
    const eventsBefore = (
      await database.rows<{ count: string }>('SELECT count(*) FROM ledger.events')
    )[0].count;
    const group = `replay-${randomUUID()}`;
    await platform.start('ledger-replay', { LEDGER_CONSUMER_GROUP: group });
    const deadline = Date.now() + 180_000;
    while ((await lagOf(group)) > 0n && Date.now() < deadline) await sleep(1_000);
    expect(await lagOf(group)).toBe(0n);
    expect(await database.balances()).toEqual(balancesBefore);
    expect(
      (await database.rows<{ count: string }>('SELECT count(*) FROM ledger.events'))[0].count,
    ).toBe(eventsBefore);
  });
});
