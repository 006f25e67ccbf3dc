import { commandIds } from '@rtp/contracts';
import { services } from '../../tools/service-processes';
import { PartnerAdapterFixture, payoutReserved } from '../support/partner-adapter';
import { CREDITOR_IBAN, SandboxBank } from '../support/sandbox-bank';

// Adapters of several partners share the partner_adapter schema: each sends, checks and escalates
// its own partner's payouts only. Before, an adapter claimed every queued payout, so a payout of
// partner B left queued (its adapter down) went out through partner A's bank and settlement
// account, and A's statement showed a debit A's ledger records did not have.
jest.setTimeout(120_000);

describe('partner adapters of two partners on one schema', () => {
  const adapter = new PartnerAdapterFixture();
  const bank = new SandboxBank();
  const partnerId = `own${adapter.run}`;
  const otherPartner = `other${adapter.run}`;

  beforeAll(async () => {
    adapter.port = await services.freePort();
    adapter.webhookSecret = bank.webhookSecret;
    await bank.start({ SANDBOX_BANK_WEBHOOK_URL: `${adapter.url}/webhooks/bank` });
    await adapter.start({
      PARTNER_ID: partnerId,
      PARTNER_BANK_URL: bank.url,
      PARTNER_BANK_API_KEY: bank.apiKey,
      PARTNER_CHECK_BASE_MS: '100',
      PARTNER_CHECK_MAX_MS: '500',
      PARTNER_PENDING_DEADLINE_MS: '1000',
    });
  });

  afterAll(async () => {
    await adapter.stop();
    await bank.stop();
  });

  it("sends its own partner's payout and leaves the other partner's queued, unsent", async () => {
    // The other partner's payout, queued by its adapter (not running), already past its deadline.
    const otherPayment = `pay-${otherPartner}`;
    await adapter.query(
      `INSERT INTO partner_adapter.payouts (payment_id, account_id, partner_id, amount_minor,
         currency, beneficiary_iban, beneficiary_name, end_to_end_id, reference, state,
         next_send_at, deadline_at, reserved_at, updated_at)
       VALUES ($1, $2, $3, 700, 'EUR', $4, 'Erika Mustermann', $5, NULL, 'queued',
         now() - interval '1 minute', now() - interval '1 minute', now(), now())`,
      [otherPayment, `acc-${otherPartner}`, otherPartner, CREDITOR_IBAN, `e2e${adapter.run}other`],
    );
    const paymentId = `pay-${partnerId}`;
    const accountId = `acc-${partnerId}`;
    const event = payoutReserved({
      paymentId,
      accountId,
      amountMinor: '1250',
      iban: CREDITOR_IBAN,
      name: 'Erika Mustermann',
      partnerId,
    });
    await adapter.publishLedgerEvent('PayoutReserved', accountId, event);
    await adapter.waitFor(
      `SettlePayout of ${paymentId}`,
      () => adapter.messages('SettlePayout', commandIds.settlePayout(paymentId))[0],
      60_000,
    );
    // A few more rounds of the sender and the checker (every 100 ms to 500 ms).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const [other] = await adapter.query(
      `SELECT state, submissions, escalated_at FROM partner_adapter.payouts WHERE payment_id = $1`,
      [otherPayment],
    );
    expect(other).toMatchObject({ state: 'queued', submissions: 0, escalated_at: null });
    const attempts = await adapter.query(
      'SELECT count(*)::int AS n FROM partner_adapter.attempts WHERE payment_id = $1',
      [otherPayment],
    );
    expect(attempts[0].n).toBe(0);
    const atBank = await bank.request('GET', `/v1/transfers?endToEndId=e2e${adapter.run}other`);
    expect(atBank.body.data).toEqual([]);
    // Nor does its review list show the other partner's overdue payout.
    const review = await adapter.review('payouts');
    expect(JSON.stringify(review)).not.toContain(otherPayment);
  });
});
