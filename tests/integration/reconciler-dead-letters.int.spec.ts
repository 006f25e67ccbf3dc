import { TOPICS, createEnvelope, encodeEnvelope } from '@rtp/contracts';
import { ReconcilerFixture } from '../support/reconciler';

jest.setTimeout(120_000);

describe('the reconciler with messages it cannot read (real Kafka and PostgreSQL)', () => {
  const fixture = new ReconcilerFixture();
  const account = `acct-${fixture.partnerId}-dlq`;

  beforeAll(() => fixture.start());
  afterAll(() => fixture.stop());

  const letters = async () =>
    (
      await fixture.db.query(
        `SELECT payload AS letter, published_at FROM reconciler.outbox
         WHERE topic = $1 AND message_key = ANY($2::text[]) ORDER BY message_id`,
        [TOPICS.reconcilerDeadLetters, [account, `statement:${fixture.partnerId}:x`]],
      )
    ).rows as { letter: { topic: string; reason: string; value: string }; published_at: unknown }[];

  it('dead-letters each with its reason and goes on with the messages after it', async () => {
    const notOfContract = encodeEnvelope(
      createEnvelope({
        id: `${fixture.partnerId}-bad-statement`,
        type: 'StatementReceived',
        source: 'test',
        time: new Date(),
        partitionKey: account,
        correlationId: 'c',
        causationId: null,
        data: { statementId: 'no-such-fields' },
      }),
    ).toString('utf8');
    // Given a ledger event that is not JSON, then a valid one on the same partition
    await fixture.raw(TOPICS.ledgerEvents, account, '{ not json');
    await fixture.raw(TOPICS.partnerStatements, `statement:${fixture.partnerId}:x`, notOfContract);
    await fixture.ledgerEvents([
      {
        type: 'PayoutSettled',
        time: new Date('2026-03-10T09:00:00Z'),
        data: {
          paymentId: `${fixture.partnerId}-after`,
          accountId: account,
          amountMinor: '500',
          currency: 'EUR',
          partnerId: fixture.partnerId,
          partnerReference: 'bank-1',
          resolvedBy: null,
        },
      },
    ]);
    // Then the valid one is recorded: the partition did not stop
    await fixture.waitFor('the record after the bad message', async () =>
      (await fixture.count('SELECT count(*) AS n FROM reconciler.records WHERE record_id = $1', [
        `${fixture.partnerId}-after`,
      ])) === 1
        ? true
        : null,
    );
    // And both bad ones are on reconciler.dlq.v1, with their topic, reason and original bytes
    const found = await fixture.waitFor('two published dead letters', async () => {
      const rows = await letters();
      return rows.length === 2 && rows.every((row) => row.published_at !== null) ? rows : null;
    });
    const byTopic = Object.fromEntries(found.map((row) => [row.letter.topic, row.letter]));
    expect(byTopic[TOPICS.ledgerEvents].reason).toBe('message value is not JSON');
    expect(Buffer.from(byTopic[TOPICS.ledgerEvents].value, 'base64').toString('utf8')).toBe(
      '{ not json',
    );
    expect(byTopic[TOPICS.partnerStatements].reason).toMatch(
      /StatementReceived message that is not one of partner.statements.v1's contract/,
    );
  });
});
