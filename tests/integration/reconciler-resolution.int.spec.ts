import { exceptionIdOf } from '@rtp/reconciler/domain';
import { payoutEndToEndId } from '@rtp/contracts';
import { ReconcilerFixture, entry } from '../support/reconciler';

jest.setTimeout(120_000);

const DAY = '2026-03-10';
const DAY_BEFORE = '2026-03-09';
const DAY_AFTER = '2026-03-11';

describe('reconciler resolutions (real Kafka and PostgreSQL)', () => {
  const fixture = new ReconcilerFixture();
  const id = (name: string) => `${fixture.partnerId}-${name}`;

  beforeAll(() => fixture.start());
  afterAll(() => fixture.stop());

  const outbox = async (type: string) =>
    (
      await fixture.db.query(
        `SELECT message_id, payload->'data' AS data, published_at FROM reconciler.outbox
         WHERE message_type = $1 AND message_key LIKE $2 || '%' ORDER BY message_id`,
        [type, `acct-${fixture.partnerId}`],
      )
    ).rows;

  describe('when the statement proves pending payouts and shows an amount difference', () => {
    it('settles the booked one, releases the rejected one, and books an approved correction', async () => {
      const account = `acct-${fixture.partnerId}`;
      const payout = (paymentId: string, amountMinor: string) => ({
        paymentId,
        accountId: account,
        amountMinor,
        currency: 'EUR',
        partnerId: fixture.partnerId,
      });
      await fixture.ledgerEvents([
        ...['booked', 'rejected'].map((name) => ({
          type: 'PayoutReserved',
          time: new Date(`${DAY}T09:00:00Z`),
          data: { ...payout(id(name), '1000'), initiatedBy: 'c', reference: null },
        })),
        {
          type: 'PayoutSettled',
          time: new Date(`${DAY}T09:00:00Z`),
          data: { ...payout(id('fee'), '9000'), partnerReference: 'b', resolvedBy: null },
        },
        // Settled the day before; the bank books it only on a later day's statement.
        {
          type: 'PayoutSettled',
          time: new Date(`${DAY_BEFORE}T23:00:00Z`),
          data: { ...payout(id('late'), '700'), partnerReference: 'c', resolvedBy: null },
        },
      ]);
      await fixture.partnerEvents(
        ['booked', 'rejected'].map((name) => ({
          type: 'PayoutOutcomeUnknown',
          data: {
            paymentId: id(name),
            accountId: account,
            partnerId: fixture.partnerId,
            cause: 'timeout',
            at: new Date().toISOString(),
          },
        })),
      );
      await fixture.waitFor(
        'pending records',
        async () =>
          (await fixture.count(
            `SELECT count(*) AS n FROM reconciler.records WHERE partner_id = $1 AND status = 'pending'`,
          )) === 2,
      );
      const e2e = (name: string) => payoutEndToEndId(id(name));
      const reversal = entry('R-2', {
        endToEndId: e2e('rejected'),
        creditDebit: 'CRDT',
        reversal: true,
      });
      reversal.transactions[0].reasonCode = 'AC04';
      await fixture.statement(DAY, [
        entry('E-1', { endToEndId: e2e('booked') }),
        entry('E-2', { endToEndId: e2e('rejected') }),
        reversal,
        entry('E-3', { endToEndId: e2e('fee'), amountMinor: '9400' }),
      ]);
      await fixture.waitFor('the run', async () => fixture.reports[0] ?? null);

      const resolutions = await fixture.waitFor('published resolutions', async () => {
        const rows = await outbox('ResolvePayment');
        return rows.length === 2 && rows.every((row) => row.published_at) && rows;
      });
      expect(resolutions.map((row) => [row.message_id, row.data.resolution])).toEqual([
        [`payout:${id('booked')}:resolve`, 'settle'],
        [`payout:${id('rejected')}:resolve`, 'release'],
      ]);
      expect(resolutions[0].data.evidence).toContain('entry E-1');
      expect(resolutions[1].data.evidence).toContain('entry R-2');

      const exceptionId = exceptionIdOf(fixture.partnerId, 'amount_mismatch', id('fee'));
      const act = (type: string, actionId: string, data: Record<string, string>) =>
        fixture.command(type, {
          exceptionId,
          actionId: `${fixture.partnerId}-${actionId}`,
          ...data,
        });
      await act('ProposeResolution', 'a1', {
        resolution: 'accept_bank',
        note: 'fee',
        actor: 'ann',
      });
      const proposalId = `${fixture.partnerId}-a1`;
      await act('ApproveResolution', 'a2', { proposalId, actor: 'ann' });
      await act('ApproveResolution', 'a3', { proposalId, actor: 'bob' });
      await act('ApproveResolution', 'a3', { proposalId, actor: 'bob' });
      const [difference] = await fixture.waitFor('the correction', async () => {
        const rows = await outbox('BookPartnerDifference');
        return rows.length > 0 && rows;
      });
      expect(difference.data).toMatchObject({
        amountMinor: '400',
        accountId: account,
        actor: 'bob',
      });
      const { rows: events } = await fixture.db.query(
        `SELECT message_type, payload->'data'->>'code' AS code FROM reconciler.outbox
         WHERE message_key = $1 AND message_type LIKE 'Exception%' AND message_type <> 'ExceptionOpened'
         ORDER BY outbox_id`,
        [`reconciliation:${fixture.partnerId}`],
      );
      expect(events).toEqual([
        { message_type: 'ExceptionResolutionProposed', code: null },
        { message_type: 'ExceptionActionRefused', code: 'same_actor' },
        { message_type: 'ExceptionResolutionApproved', code: null },
        { message_type: 'ExceptionResolved', code: null },
      ]);
      const {
        rows: [exception],
      } = await fixture.db.query(
        `SELECT status FROM reconciler.exceptions WHERE exception_id = $1`,
        [exceptionId],
      );
      expect(exception.status).toBe('resolved');

      const missingId = exceptionIdOf(fixture.partnerId, 'missing_at_bank', id('late'));
      const statusOf = async (exception: string) =>
        (
          await fixture.db.query(
            `SELECT status FROM reconciler.exceptions WHERE exception_id = $1`,
            [exception],
          )
        ).rows[0]?.status;
      expect(await statusOf(missingId)).toBe('open');
      await fixture.statement(DAY_AFTER, [
        entry('E-4', { endToEndId: e2e('late'), amountMinor: '700', bookingDate: DAY }),
      ]);
      await fixture.waitFor('the next day run', async () => fixture.reports[1] ?? null);
      expect(await statusOf(missingId)).toBe('resolved');
      const { rows: later } = await fixture.db.query(
        `SELECT payload->'data'->>'resolution' AS resolution FROM reconciler.outbox
         WHERE message_id = $1`,
        [`exception-resolved:${missingId}`],
      );
      expect(later).toEqual([{ resolution: 'matched_later' }]);
      // The fee's record, in an exception since the day before, is not missing at the bank now.
      expect(
        await fixture.count(
          `SELECT count(*) AS n FROM reconciler.exceptions WHERE partner_id = $1
             AND exception_class = 'missing_at_bank'`,
        ),
      ).toBe(1);
    });
  });
});
