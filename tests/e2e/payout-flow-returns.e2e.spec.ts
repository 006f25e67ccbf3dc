import { setTimeout as sleep } from 'node:timers/promises';
import { payoutEndToEndId } from '@rtp/contracts';
import { usePayoutFlow } from '../support/payout-flow';
import { CREDITOR_IBAN } from '../support/sandbox-bank';

// The bank of this suite returns every booked transfer shortly after booking it (return rate 1):
// the adapter learns it by webhook and by polling, the ledger credits the customer back once.
jest.setTimeout(240_000);

describe('a payout the bank books and then returns', () => {
  const flow = usePayoutFlow({
    SANDBOX_BANK_RETURN_RATE: '1',
    SANDBOX_BANK_RETURN_DELAY_MS: '500',
  });

  it('becomes returned and credits the customer back exactly once', async () => {
    const account = await flow.openAccount('10000');
    const created = await flow.payout(account.id, '3000', CREDITOR_IBAN);
    expect(created.status).toBe(201);

    const returned = await flow.waitForPayout(created.body.id, 'returned');
    const transfers = await flow.bankTransfers(payoutEndToEndId(created.body.id));
    expect(transfers).toHaveLength(1);
    expect(transfers[0].status).toBe('returned');
    expect(returned.bankReference).toBe(transfers[0].id);
    expect(returned.statusHistory.map((entry) => entry.status)).toEqual([
      'processing',
      'pending',
      'completed',
      'returned',
    ]);
    expect((await flow.account(account.id)).balance).toEqual({
      posted: '10000',
      pending: '0',
      available: '10000',
    });
    // Both the webhook and the adapter's return poll saw the return: still one credit.
    await sleep(3_000);
    expect((await flow.account(account.id)).balance.posted).toBe('10000');
    const ledger = await flow.ledgerBalance(account.id);
    expect(ledger.status).toBe(200);
    expect(ledger.body).toMatchObject({ postedMinor: '10000' });
  });

  it('returns each of several payouts once, the balance back where it started', async () => {
    const account = await flow.openAccount('10000');
    const ids: string[] = [];
    for (const amount of ['100', '200', '300']) {
      ids.push((await flow.payout(account.id, amount, CREDITOR_IBAN)).body.id);
    }
    for (const id of ids) await flow.waitForPayout(id, 'returned');
    for (const id of ids) expect(await flow.bankTransfers(payoutEndToEndId(id))).toHaveLength(1);
    await sleep(2_000);
    expect((await flow.account(account.id)).balance).toEqual({
      posted: '10000',
      pending: '0',
      available: '10000',
    });
  });
});
