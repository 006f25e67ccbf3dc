import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TOPICS } from '@rtp/contracts';
import { runVerify } from '../support/ledger-database';
import { LedgerRecoveryFixture, RECOVERY_FUNDING_MINOR } from '../support/ledger-recovery';

jest.setTimeout(600_000);

describe('ledger recovery', () => {
  const fixture = new LedgerRecoveryFixture();

  beforeAll(() => fixture.start('test-recovery'));

  afterAll(() => fixture.stop());

  it('lets a consumer paused past the session timeout write nothing twice when it resumes', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 50; index += 1) ids.push(await fixture.pay(index));
    const zombie = fixture.platform.handle('ledger');
    zombie.child.kill('SIGSTOP');
    try {
      await fixture.platform.start('ledger-b');
      for (let index = 0; index < 50; index += 1) ids.push(await fixture.pay(index + 3));
      expect((await fixture.allTerminal(ids, 120_000)).size).toBe(ids.length);
    } finally {
      zombie.child.kill('SIGCONT');
    }
    await sleep(15_000);
    for (let index = 0; index < 50; index += 1) ids.push(await fixture.pay(index + 5));
    const outcomes = await fixture.allTerminal(ids, 120_000);
    expect(outcomes.size).toBe(150);
    expect([...outcomes.values()].filter((types) => types.length !== 1)).toEqual([]);
    const total = (
      await fixture.database.rows<{ total: string }>(
        'SELECT sum(posted_minor)::text AS total FROM ledger.accounts WHERE account_id = ANY($1::text[])',
        [fixture.accounts.map((account) => account.id)],
      )
    )[0].total;
    // Payments between the accounts move money among them only: the total is what funded them.
    expect(BigInt(total)).toBe(10n * RECOVERY_FUNDING_MINOR);
    const verification = runVerify();
    expect(verification.output).toContain('The ledger is consistent.');
  });

  it("publishes each account's events in commit order with no gaps", async () => {
    const streams = new Map<string, number[]>();
    const ids = new Set(fixture.accounts.map((account) => account.id));
    const expected = new Map(
      (
        await fixture.database.rows<{ account_id: string; sequence: string }>(
          'SELECT account_id, sequence FROM ledger.accounts WHERE account_id = ANY($1::text[])',
          [[...ids]],
        )
      ).map((row) => [row.account_id, Number(row.sequence)]),
    );
    const consumer = fixture.kafka.consumer({
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

  it('changes no balance when the command topic is replayed from offset 0 into a fresh consumer group', async () => {
    const balancesBefore = await fixture.database.balances();
    const eventsBefore = (
      await fixture.database.rows<{ count: string }>('SELECT count(*) FROM ledger.events')
    )[0].count;
    const group = `replay-${randomUUID()}`;
    await fixture.platform.start('ledger-replay', { LEDGER_CONSUMER_GROUP: group });
    const deadline = Date.now() + 180_000;
    while ((await fixture.lagOf(group)) > 0n && Date.now() < deadline) await sleep(1_000);
    expect(await fixture.lagOf(group)).toBe(0n);
    expect(await fixture.database.balances()).toEqual(balancesBefore);
    expect(
      (await fixture.database.rows<{ count: string }>('SELECT count(*) FROM ledger.events'))[0]
        .count,
    ).toBe(eventsBefore);
  });
});
