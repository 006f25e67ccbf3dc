import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { composeIBAN, isValidIBAN } from 'ibantools';
import { usePayoutFlow } from '../support/payout-flow';
import { CREDITOR_IBAN } from '../support/sandbox-bank';

// Money wired to an account's virtual IBAN: the sandbox bank books it and sends a signed
// credit.booked webhook to the partner adapter, which deposits it through the ledger; the gateway
// shows the balance. Every part is a real process.
jest.setTimeout(240_000);

describe('an inbound credit at the sandbox bank', () => {
  const flow = usePayoutFlow();
  let run = 0;

  function wire(creditorIban: string, amountMinor: string) {
    run += 1;
    return flow.bank.request('POST', '/admin/credits', {
      admin: true,
      body: {
        creditorIban,
        debtor: { iban: CREDITOR_IBAN, name: 'Ada Lovelace' },
        amountMinor,
        currency: 'EUR',
        endToEndId: `IN-${randomBytes(6).toString('hex')}-${run}`,
        remittanceInformation: `wire ${run}`,
      },
    });
  }

  async function posted(accountId: string, expected: string): Promise<void> {
    await flow.until(`balance ${expected}`, async () => {
      return (await flow.account(accountId)).balance.posted === expected;
    });
  }

  afterEach(() => flow.bank.setFaults({}));

  it('credits the account its virtual IBAN names, once, even when the webhook comes twice', async () => {
    const account = await flow.openAccount();
    expect(account.virtualIban).not.toBeNull();
    expect(isValidIBAN(account.virtualIban!)).toBe(true);
    await flow.adapterKnows(account.virtualIban!);
    const replays = () => flow.adapterCounter('partner_webhook_verifications_total', 'replay');
    const replaysBefore = await replays();
    await flow.bank.setFaults({ webhooks: { duplicateRate: 1 } });
    const credit = await wire(account.virtualIban!, '4200');
    expect(credit.status).toBe(201);
    await posted(account.id, '4200');
    // The bank did send it twice (the adapter saw a replay of the webhook-id): still once.
    await flow.until('the duplicate webhook', async () => (await replays()) > replaysBefore);
    await sleep(1_000);
    expect((await flow.account(account.id)).balance).toEqual({
      posted: '4200',
      pending: '0',
      available: '4200',
    });

    const second = await wire(account.virtualIban!, '800');
    expect(second.status).toBe(201);
    await posted(account.id, '5000');
    await sleep(2_000);
    expect((await flow.account(account.id)).balance.posted).toBe('5000');
  });

  it('the credited money can leave again as a payout', async () => {
    const account = await flow.openAccount();
    await flow.adapterKnows(account.virtualIban!);
    await wire(account.virtualIban!, '1500');
    await posted(account.id, '1500');
    const created = await flow.payout(account.id, '1500', CREDITOR_IBAN);
    await flow.waitForPayout(created.body.id, 'completed');
    expect((await flow.account(account.id)).balance.posted).toBe('0');
  });

  it('credits an unknown IBAN to suspense and lists it for review', async () => {
    // A valid IBAN of the sandbox bank's code that no account has (its last digits are random).
    const unknown = composeIBAN({
      countryCode: 'DE',
      bban: `99999999${String(Date.now()).slice(-10)}`,
    })!;
    const before = await flow.ledgerBalance('suspense:sandbox:EUR');
    const beforeMinor = BigInt(before.body?.postedMinor ?? '0');
    const credit = await wire(unknown, '700');
    expect(credit.status).toBe(201);
    const listed = await flow.until('the suspense review row', async () => {
      const rows = (await flow.review('suspense')).data;
      return rows.find((row) => row.bankTransactionId === credit.body.transactionId);
    });
    expect(listed).toMatchObject({
      suspenseAccountId: 'suspense:sandbox:EUR',
      amountMinor: '700',
      currency: 'EUR',
    });
    expect(listed.creditorIbanMasked).not.toBe(unknown);
    await flow.until('the suspense balance', async () => {
      const balance = await flow.ledgerBalance('suspense:sandbox:EUR');
      return balance.body && BigInt(balance.body.postedMinor) === beforeMinor + 700n;
    });
  });
});
