import { LedgerCommand } from '@rtp/contracts';
import { availableMinor } from './account';
import { decide, rejectionOf } from './decide';
import { applyHoldChange, applyJournal } from './apply-effects';
import { customer, lookupOf } from './test-accounts';

const reserve = (amountMinor: string): LedgerCommand => ({
  type: 'ReservePayout',
  data: {
    paymentId: 'p1',
    accountId: 'a',
    amountMinor,
    currency: 'EUR',
    partnerId: 'bank',
    initiatedBy: 'c',
    reference: null,
    beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann' },
    endToEndId: 'p1',
  },
});
const settle: LedgerCommand = {
  type: 'SettlePayout',
  data: { paymentId: 'p1', accountId: 'a', partnerReference: 'b-1' },
};
const release: LedgerCommand = {
  type: 'ReleasePayout',
  data: { paymentId: 'p1', accountId: 'a', reasonCode: 'bank_rejected' },
};

function reserved() {
  const accounts = lookupOf(customer('a', 1_000n));
  const decision = decide(reserve('400'), accounts, { partition: 1 });
  for (const hold of decision.holds) applyHoldChange(hold, (id) => accounts.all.get(id));
  return accounts;
}

const returned = (amountMinor = '400'): LedgerCommand => ({
  type: 'ReturnPayout',
  data: {
    paymentId: 'p1',
    accountId: 'a',
    amountMinor,
    currency: 'EUR',
    partnerId: 'bank',
    partnerReference: 'b-1',
    reasonCode: 'bank_returned_ac04',
  },
});

/** Reserved and settled: 600 posted, the 400 at the partner's settlement shard. */
function settled() {
  const accounts = reserved();
  const decision = decide(settle, accounts, { partition: 1 });
  const find = (id: string) => accounts.all.get(id);
  applyJournal(decision.journal!, find);
  for (const hold of decision.holds) applyHoldChange(hold, find);
  accounts.settled.set('p1', {
    paymentId: 'p1',
    accountId: 'a',
    amountMinor: 400n,
    currency: 'EUR',
    partnerId: 'bank',
  });
  return accounts;
}

describe('a payout', () => {
  describe('when it is reserved with a beneficiary', () => {
    it('records the beneficiary and our end-to-end reference in the event', () => {
      const decision = decide(reserve('400'), lookupOf(customer('a', 1_000n)), { partition: 1 });
      expect(decision.events[0]).toMatchObject({
        type: 'PayoutReserved',
        data: {
          beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann' },
          endToEndId: 'p1',
        },
      });
    });

    it('leaves them out of a refusal', () => {
      const decision = decide(reserve('1001'), lookupOf(customer('a', 1_000n)), { partition: 1 });
      expect(decision.events[0].type).toBe('PayoutRejected');
      expect(decision.events[0].data).not.toHaveProperty('beneficiary');
      expect(decision.events[0].data).not.toHaveProperty('endToEndId');
    });
  });

  describe('when the bank returns it after it settled', () => {
    it('credits the customer back from the settlement shard', () => {
      const accounts = settled();
      const decision = decide(returned(), accounts, { partition: 1 });
      expect(decision.events[0]).toMatchObject({ type: 'PayoutReturned', streamId: 'a' });
      expect(decision.journal?.postings).toEqual([
        { accountId: 'settlement:bank:EUR:p1', amountMinor: -400n },
        { accountId: 'a', amountMinor: 400n },
      ]);
      applyJournal(decision.journal!, (id) => accounts.all.get(id));
      expect(accounts.all.get('a')).toMatchObject({ postedMinor: 1_000n, pendingMinor: 0n });
      expect(accounts.all.get('settlement:bank:EUR:p1')?.postedMinor).toBe(0n);
    });

    it('credits it even to a frozen account: the money was never spent', () => {
      const accounts = settled();
      accounts.all.get('a')!.freeze = 'all';
      expect(decide(returned(), accounts, { partition: 1 }).events[0].type).toBe('PayoutReturned');
    });

    it('refuses a return naming another amount with payout_return_mismatch', () => {
      const decision = decide(returned('399'), settled(), { partition: 1 });
      expect(rejectionOf(decision)).toBe('payout_return_mismatch');
      expect(decision.journal).toBeNull();
    });
  });

  describe('when the bank returns it before it settled', () => {
    it('refuses the return of a held payout with payout_not_settled', () => {
      const decision = decide(returned(), reserved(), { partition: 1 });
      expect(rejectionOf(decision)).toBe('payout_not_settled');
      expect(decision.journal).toBeNull();
    });

    it('refuses the return of a payout the ledger never settled with payout_not_settled', () => {
      const accounts = lookupOf(customer('a', 1_000n));
      expect(rejectionOf(decide(returned(), accounts, { partition: 1 }))).toBe(
        'payout_not_settled',
      );
    });

    it("refuses another account's settled payout with payout_not_settled", () => {
      const accounts = settled();
      accounts.all.set('b', customer('b', 0n));
      const other = { ...returned(), data: { ...returned().data, accountId: 'b' } };
      expect(rejectionOf(decide(other as LedgerCommand, accounts, { partition: 1 }))).toBe(
        'payout_not_settled',
      );
    });
  });

  describe('when it is reserved', () => {
    it('holds the amount: pending rises, available falls, posted stays', () => {
      const account = reserved().all.get('a')!;
      expect(account).toMatchObject({ postedMinor: 1_000n, pendingMinor: 400n });
      expect(availableMinor(account)).toBe(600n);
    });

    it('counts the hold against later debits', () => {
      const accounts = reserved();
      const second = decide(
        { ...reserve('601'), data: { ...reserve('601').data, paymentId: 'p2' } } as LedgerCommand,
        accounts,
        { partition: 1 },
      );
      expect(second.events[0]).toMatchObject({
        type: 'PayoutRejected',
        data: expect.objectContaining({
          failureCode: 'insufficient_funds',
        }),
      });
    });
  });

  describe('when the partner settles it', () => {
    it('posts the amount to the partner settlement shard and closes the hold', () => {
      const accounts = reserved();
      const decision = decide(settle, accounts, { partition: 1 });
      expect(decision.events[0].type).toBe('PayoutSettled');
      expect(decision.journal?.postings).toEqual([
        { accountId: 'a', amountMinor: -400n },
        { accountId: 'settlement:bank:EUR:p1', amountMinor: 400n },
      ]);
      const find = (id: string) => accounts.all.get(id);
      applyJournal(decision.journal!, find);
      for (const hold of decision.holds) applyHoldChange(hold, find);
      expect(accounts.all.get('a')).toMatchObject({ postedMinor: 600n, pendingMinor: 0n });
    });
  });

  describe('when the partner rejects it', () => {
    it('releases the hold without a journal', () => {
      const accounts = reserved();
      const decision = decide(release, accounts, { partition: 1 });
      expect(decision.journal).toBeNull();
      for (const hold of decision.holds) applyHoldChange(hold, (id) => accounts.all.get(id));
      expect(accounts.all.get('a')).toMatchObject({ postedMinor: 1_000n, pendingMinor: 0n });
    });

    it('refuses a settle after the release with hold_not_found', () => {
      const accounts = reserved();
      for (const hold of decide(release, accounts, { partition: 1 }).holds) {
        applyHoldChange(hold, (id) => accounts.all.get(id));
      }
      expect(decide(settle, accounts, { partition: 1 }).events[0]).toMatchObject({
        type: 'AccountCommandRejected',
        data: expect.objectContaining({ failureCode: 'hold_not_found' }),
      });
    });
  });

  it("refuses a debit above the account's per-debit limit with limit_exceeded", () => {
    const accounts = lookupOf(customer('a', 1_000n, { perDebitLimitMinor: 100n }));
    expect(rejectionOf(decide(reserve('101'), accounts, { partition: 0 }))).toBe('limit_exceeded');
  });
});

describe('a payout resolved by reconciliation', () => {
  const resolve = (bankReasonCode?: string): LedgerCommand => ({
    type: 'ResolvePayment',
    data: {
      paymentId: 'p1',
      accountId: 'a',
      resolution: 'release',
      evidence: 'statement STMT-1 entry E-2 (reversal)',
      actor: 'reconciler',
      ...(bankReasonCode ? { bankReasonCode } : {}),
    },
  });

  it("releases with the bank's reason the statement shows, as if the bank had told us", () => {
    const decision = decide(resolve('AC04'), reserved(), { partition: 1 });
    expect(decision.events[0]).toMatchObject({
      type: 'PayoutReleased',
      data: { reasonCode: 'bank_rejected_ac04', resolvedBy: 'reconciler' },
    });
  });

  it('releases with reconciliation as the reason when the statement gives none', () => {
    const decision = decide(resolve(), reserved(), { partition: 1 });
    expect(decision.events[0]).toMatchObject({ data: { reasonCode: 'reconciliation' } });
  });
});
