import { LedgerEvent } from '@rtp/contracts';
import { AccountState } from './account';
import { evolve } from './evolve';
import { InvariantViolation } from './invariants';

const balance = (posted: number, pending: number) => ({
  postedMinor: String(posted),
  pendingMinor: String(pending),
  availableMinor: String(posted - pending),
});

const opened: LedgerEvent = {
  type: 'AccountOpened',
  data: {
    accountId: 'a',
    currency: 'EUR',
    ownerId: 'client',
    name: null,
    metadata: null,
    status: 'active',
    currencyExponent: 2,
    overdraftLimitMinor: '50',
    perDebitLimitMinor: null,
    balance: balance(0, 0),
    accountSequence: 1,
  },
};
const deposited = (amountMinor: number, posted: number, accountSequence: number): LedgerEvent => ({
  type: 'DepositCompleted',
  data: {
    depositId: `d${accountSequence}`,
    accountId: 'a',
    amountMinor: String(amountMinor),
    currency: 'EUR',
    reference: 'r',
    balance: balance(posted, 0),
    accountSequence,
  },
});
const payout = { paymentId: 'p', accountId: 'a', currency: 'EUR', partnerId: 'bank' };
const reserved: LedgerEvent = {
  type: 'PayoutReserved',
  data: {
    ...payout,
    amountMinor: '30',
    initiatedBy: 'client',
    reference: null,
    balance: balance(100, 30),
    accountSequence: 3,
  },
};
const settledAt = (accountSequence: number): LedgerEvent => ({
  type: 'PayoutSettled',
  data: {
    ...payout,
    amountMinor: '30',
    partnerReference: 'ref',
    resolvedBy: null,
    balance: balance(70, 0),
    accountSequence,
  },
});
const settled = settledAt(4);
const returned: LedgerEvent = {
  type: 'PayoutReturned',
  data: {
    ...payout,
    amountMinor: '30',
    partnerReference: 'ref',
    reasonCode: 'bank_returned_ac04',
    balance: balance(100, 0),
    accountSequence: 5,
  },
};

const fold = (...events: LedgerEvent[]) =>
  events.reduce<AccountState | null>((state, event) => evolve(state, event), null);

describe('evolve', () => {
  describe('given an opened account that took a deposit of 100', () => {
    it('when a payout is reserved, then 30 is pending and available is 70', () => {
      const account = fold(opened, deposited(100, 100, 2), reserved)!;
      expect(account).toMatchObject({ postedMinor: 100n, pendingMinor: 30n, sequence: 3 });
      expect(account.holds.get('p')).toEqual({ amountMinor: 30n, partnerId: 'bank' });
      expect(account.overdraftLimitMinor).toBe(50n);
    });

    it('when the payout settles, then the hold is closed and the amount posted out', () => {
      const account = fold(opened, deposited(100, 100, 2), reserved, settled)!;
      expect(account).toMatchObject({ postedMinor: 70n, pendingMinor: 0n, sequence: 4 });
      expect(account.holds.size).toBe(0);
    });

    it('when the bank returns the settled payout, then the amount is posted back', () => {
      const account = fold(opened, deposited(100, 100, 2), reserved, settled, returned)!;
      expect(account).toMatchObject({ postedMinor: 100n, pendingMinor: 0n, sequence: 5 });
    });

    it('folds a reservation alike with or without its beneficiary (older events lack it)', () => {
      const withBeneficiary: LedgerEvent = {
        ...reserved,
        data: {
          ...(reserved.data as object),
          beneficiary: { iban: 'DE89370400440532013000', name: 'E' },
          endToEndId: 'p',
        },
      } as LedgerEvent;
      const before = fold(opened, deposited(100, 100, 2), reserved)!;
      const after = fold(opened, deposited(100, 100, 2), withBeneficiary)!;
      expect(after).toEqual(before);
    });

    it('leaves the state it was given as it was', () => {
      const before = fold(opened, deposited(100, 100, 2))!;
      evolve(before, reserved);
      expect(before).toMatchObject({ pendingMinor: 0n, sequence: 2 });
      expect(before.holds.size).toBe(0);
    });
  });

  it('changes nothing for an event outside every stream (no sequence)', () => {
    const account = fold(opened);
    const refused: LedgerEvent = {
      type: 'DepositRejected',
      data: {
        depositId: 'd',
        accountId: 'ghost',
        amountMinor: '1',
        currency: 'EUR',
        failureCode: 'account_not_found',
        accountSequence: null,
      },
    };
    expect(evolve(account, refused)).toBe(account);
  });

  it.each([
    ['a gap in the stream', [opened, deposited(100, 100, 3)], /StreamHasNoGaps/],
    ['a balance the fold disagrees with', [opened, deposited(100, 99, 2)], /EventBalanceMatches/],
    ['an event before the opening', [deposited(100, 100, 1)], /StreamStartsOpened/],
    ['a second opening', [opened, opened], /StreamOpensOnce/],
    [
      'a return whose balance the fold disagrees with',
      [
        opened,
        deposited(100, 100, 2),
        reserved,
        settled,
        { ...returned, data: { ...returned.data, amountMinor: '31' } } as LedgerEvent,
      ],
      /EventBalanceMatches/,
    ],
    [
      'a hold settled that was never placed',
      [opened, deposited(100, 100, 2), settledAt(3)],
      /HoldCloses/,
    ],
  ])('refuses %s as an invariant violation', (_name, events, invariant) => {
    expect(() => fold(...events)).toThrow(InvariantViolation);
    expect(() => fold(...events)).toThrow(invariant);
  });
});
