import { commandIds } from '@rtp/contracts';
import { services } from '../../tools/service-processes';
import { PartnerAdapterFixture, accountOpened, payoutReserved } from '../support/partner-adapter';

// The adapter's intake without a bank: ledger events in, webhooks in, ledger commands and partner
// events out, over real Kafka and PostgreSQL. The bank's URL is a closed port: nothing is sent.
jest.setTimeout(120_000);

const UNKNOWN_IBAN = 'DE75512108001245126199';
const BENEFICIARY_IBAN = 'GB82WEST12345698765432';
const BENEFICIARY_NAME = 'Erika Mustermann';

describe('partner adapter intake (ledger events, webhooks)', () => {
  const adapter = new PartnerAdapterFixture();
  const accountId = `acc-${adapter.run}`;
  const credit = (transactionId: string, creditorIban: string) => ({
    type: 'credit.booked',
    timestamp: new Date().toISOString(),
    data: {
      transactionId,
      creditorIban,
      debtor: { iban: 'FR1420041010050500013M02606', name: 'Jean Dupont' },
      amountMinor: '2500',
      currency: 'EUR',
      endToEndId: `in-${adapter.run}`,
      remittanceInformation: null,
      bookedAt: new Date().toISOString(),
    },
  });

  beforeAll(async () => {
    const closedPort = await services.freePort();
    await adapter.start({
      PARTNER_BANK_URL: `http://127.0.0.1:${closedPort}`,
      PARTNER_NOT_SENT_RETRIES_MAX: '2',
      PARTNER_CHECK_BASE_MS: '50',
      PARTNER_CHECK_MAX_MS: '200',
      PARTNER_PENDING_DEADLINE_MS: '3000',
    });
    const virtualIban = `DE02${adapter.run.toUpperCase()}00000000001`;
    await adapter.publishLedgerEvent(
      'AccountOpened',
      accountId,
      accountOpened(accountId, virtualIban),
    );
  });

  afterAll(() => adapter.stop());

  it('makes one payout of a PayoutReserved consumed twice, and never fails it without the bank', async () => {
    const paymentId = `pay-${adapter.run}`;
    const event = payoutReserved({
      paymentId,
      accountId,
      amountMinor: '1500',
      iban: BENEFICIARY_IBAN,
      name: BENEFICIARY_NAME,
    });
    await adapter.publishLedgerEvent('PayoutReserved', accountId, event);
    await adapter.publishLedgerEvent('PayoutReserved', accountId, event);
    const rows = await adapter.waitFor('the payout row', async () => {
      const found = await adapter.query(
        'SELECT state, submissions FROM partner_adapter.payouts WHERE payment_id = $1',
        [paymentId],
      );
      return found.length > 0 && found[0].submissions >= 2 ? found : null;
    });
    expect(rows).toHaveLength(1);
    // Refused connections only: the bank never had it, so it waits, then escalates past the deadline.
    const escalated = await adapter.waitFor('escalation', async () => {
      const [row] = await adapter.query(
        'SELECT state FROM partner_adapter.payouts WHERE payment_id = $1',
        [paymentId],
      );
      return row.state === 'escalated' ? row : null;
    });
    expect(escalated.state).toBe('escalated');
    const review = await adapter.review('payouts');
    const listed = review.body.data.find((p: any) => p.paymentId === paymentId);
    expect(listed.beneficiary.ibanMasked).toBe('GB82**************5432');
    expect(adapter.messages('ReleasePayout')).toHaveLength(0);
    expect(adapter.messages('SettlePayout')).toHaveLength(0);
    const attempts = await adapter.query(
      'SELECT outcome FROM partner_adapter.attempts WHERE payment_id = $1 AND call_kind = $2',
      [paymentId, 'create'],
    );
    expect(attempts.every((a) => a.outcome === 'not_sent_connection_refused')).toBe(true);
  });

  it('answers a bad signature 401 problem+json and books nothing', async () => {
    const transactionId = `tx-bad-${adapter.run}`;
    const answer = await adapter.webhook(
      `wh-bad-${adapter.run}`,
      credit(transactionId, UNKNOWN_IBAN),
      `whsec_${Buffer.from('another secret of the wrong sender').toString('base64')}`,
    );
    expect(answer.status).toBe(401);
    expect(answer.type).toContain('application/problem+json');
    expect(answer.body.code).toBe('webhook_signature_invalid');
    const deposits = await adapter.query(
      'SELECT 1 FROM partner_adapter.deposits WHERE bank_transaction_id = $1',
      [transactionId],
    );
    expect(deposits).toHaveLength(0);
  });

  it('credits a duplicated credit.booked once', async () => {
    const [mapped] = await adapter.waitFor('the IBAN map', async () => {
      const rows = await adapter.query(
        'SELECT iban FROM partner_adapter.virtual_ibans WHERE account_id = $1',
        [accountId],
      );
      return rows.length > 0 ? rows : null;
    });
    const transactionId = `tx-${adapter.run}`;
    const payload = credit(transactionId, mapped.iban);
    const first = await adapter.webhook(`wh-1-${adapter.run}`, payload);
    const replay = await adapter.webhook(`wh-1-${adapter.run}`, payload);
    const redelivered = await adapter.webhook(`wh-2-${adapter.run}`, payload);
    expect([first.status, replay.status, redelivered.status]).toEqual([200, 200, 200]);
    expect(replay.body.duplicate).toBe(true);
    const depositId = commandIds.deposit(`bank:sandbox:${transactionId}`);
    await adapter.waitFor('the Deposit', () => adapter.messages('Deposit', depositId).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const deposits = adapter.messages('Deposit', depositId);
    expect(deposits).toHaveLength(1);
    expect(deposits[0]).toMatchObject({ key: accountId, data: { accountId, amountMinor: '2500' } });
  });

  it('holds money for an unknown IBAN in suspense and lists it for review', async () => {
    const transactionId = `tx-suspense-${adapter.run}`;
    const answer = await adapter.webhook(
      `wh-s-${adapter.run}`,
      credit(transactionId, UNKNOWN_IBAN),
    );
    expect(answer.status).toBe(200);
    await adapter.waitFor(
      'DepositToSuspense',
      () => adapter.messages('DepositToSuspense').length > 0,
    );
    const [deposit] = adapter.messages(
      'Deposit',
      commandIds.deposit(`bank:sandbox:${transactionId}`),
    );
    expect(deposit.data.accountId).toBe('suspense:sandbox:EUR');
    const review = await adapter.review('suspense');
    const listed = review.body.data.find((d: any) => d.bankTransactionId === transactionId);
    expect(listed).toMatchObject({
      suspenseAccountId: 'suspense:sandbox:EUR',
      creditorIbanMasked: 'DE75**************6199',
    });
  });

  it('writes no full IBAN or beneficiary name to its log', () => {
    const log = adapter.logText();
    expect(log.length).toBeGreaterThan(0);
    for (const secret of [BENEFICIARY_IBAN, BENEFICIARY_NAME, UNKNOWN_IBAN]) {
      expect(log).not.toContain(secret);
    }
  });
});
