import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TOPICS, commandIds } from '@rtp/contracts';
import { commandValue, depositData } from '../support/ledger-commands';
import { runVerify } from '../support/ledger-database';
import { LedgerRecoveryFixture } from '../support/ledger-recovery';

jest.setTimeout(600_000);

describe('ledger integrity against poison messages and tampering', () => {
  const fixture = new LedgerRecoveryFixture();

  beforeAll(() => fixture.start('test-integrity'));

  afterAll(() => fixture.stop());

  it('sends 100 poison messages to the dead-letter topic while the partition keeps flowing', async () => {
    const target = fixture.accounts[0].id;
    const before = await fixture.posted(target);
    const valid = (index: number) => {
      const depositId = randomUUID();
      const data = {
        ...depositData(depositId, target, String(index + 1)),
        reference: `valid ${index}`,
      };
      return commandValue(commandIds.deposit(depositId), 'Deposit', target, data);
    };
    const negative = { ...depositData('d', target, '-5'), partnerId: 'p', reference: '' };
    const poisons = [
      () => Buffer.from('not json at all'),
      () => Buffer.from(JSON.stringify({ hello: 'world' })),
      () => commandValue(randomUUID(), 'NoSuchCommand', target, {}),
      () => commandValue(randomUUID(), 'Deposit', target, negative),
    ];
    const messages = [];
    for (let index = 0; index < 100; index += 1) {
      messages.push({ key: target, value: poisons[index % poisons.length]() });
      if (index % 5 === 0) messages.push({ key: target, value: valid(index / 5) });
    }
    const dlqSeen = new Set<string>();
    const consumer = fixture.kafka.consumer({
      groupId: `test-dlq-${randomUUID()}`,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.ledgerDeadLetters, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const letter = JSON.parse(message.value!.toString());
        if (Buffer.from(letter.key ?? '', 'base64').toString() === target) dlqSeen.add(letter.id);
      },
    });
    await fixture.producer.send({ topic: TOPICS.ledgerCommands, acks: -1, messages });

    const expected =
      before +
      BigInt(Array.from({ length: 20 }, (_, index) => index + 1).reduce((a, b) => a + b, 0));
    const deadline = Date.now() + 60_000;
    let posted = before;
    while ((dlqSeen.size < 100 || posted !== expected) && Date.now() < deadline) {
      await sleep(300);
      posted = await fixture.posted(target);
    }
    await consumer.disconnect();
    expect(dlqSeen.size).toBe(100);
    expect(posted).toBe(expected);
  });

  it('makes verify fail when a stored event is altered, and pass again once it is restored', async () => {
    const [event] = await fixture.database.rows<{ event_id: string; data: object }>(
      `SELECT event_id, data FROM ledger.events WHERE account_id = $1 AND sequence = 2`,
      [fixture.accounts[1].id],
    );
    const tamper = async (data: object) => {
      await fixture.database.rows('BEGIN');
      await fixture.database.rows('ALTER TABLE ledger.events DISABLE TRIGGER USER');
      await fixture.database.rows('UPDATE ledger.events SET data = $1::jsonb WHERE event_id = $2', [
        JSON.stringify(data),
        event.event_id,
      ]);
      await fixture.database.rows('ALTER TABLE ledger.events ENABLE TRIGGER USER');
      await fixture.database.rows('COMMIT');
    };
    await tamper({ ...event.data, amountMinor: '999999' });
    try {
      const tampered = runVerify();
      expect(tampered.code).toBe(1);
      expect(tampered.output).toContain(`${fixture.accounts[1].id}: event 2`);
    } finally {
      await tamper(event.data);
    }
    expect(runVerify().code).toBe(0);
  });
});
