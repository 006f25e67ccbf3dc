import { LedgerCommand } from '@rtp/contracts';
import { addFreeze, removeFreeze } from './account';
import { decide, rejectionOf } from './decide';
import { customer, lookupOf } from './test-accounts';

describe('freezes', () => {
  it.each([
    ['none', 'debits', 'debits'],
    ['debits', 'credits', 'all'],
    ['credits', 'credits', 'credits'],
    ['all', 'debits', 'all'],
  ] as const)('adding to %s the mode %s gives %s', (current, mode, expected) => {
    expect(addFreeze(current, mode)).toBe(expected);
  });

  it.each([
    ['all', 'debits', 'credits'],
    ['all', 'all', 'none'],
    ['debits', 'debits', 'none'],
    ['debits', 'credits', 'debits'],
  ] as const)('lifting from %s the mode %s gives %s', (current, mode, expected) => {
    expect(removeFreeze(current, mode)).toBe(expected);
  });

  it('a credits-only freeze still lets money leave', () => {
    const accounts = lookupOf(customer('a', 100n, { freeze: 'credits' }));
    const decision = decide(
      {
        type: 'TransferFunds',
        data: {
          paymentId: 'p',
          sourceAccountId: 'a',
          destinationAccountId: 'b',
          amountMinor: '10',
          currency: 'EUR',
          initiatedBy: 'c',
          reference: null,
          metadata: null,
        },
      },
      accounts,
      { partition: 0 },
    );
    expect(decision.events[0].type).toBe('TransferDebited');
  });
});

describe('closing an account', () => {
  const close: LedgerCommand = {
    type: 'CloseAccount',
    data: { accountId: 'a', reasonCode: 'customer_request', actor: 'ops' },
  };

  it('closes an empty account', () => {
    const decision = decide(close, lookupOf(customer('a', 0n)), { partition: 0 });
    expect(decision.accountChanges).toEqual([{ accountId: 'a', status: 'closed' }]);
  });

  it.each([
    ['it has a balance', customer('a', 1n)],
    [
      'it has an open hold',
      customer('a', 0n, { holds: new Map([['p', { amountMinor: 1n, partnerId: 'x' }]]) }),
    ],
  ])('refuses when %s', (_name, account) => {
    const decision = decide(close, lookupOf(account), { partition: 0 });
    expect(decision.accountChanges).toEqual([]);
    expect(rejectionOf(decision)).toBe('account_not_empty');
  });
});

describe('an adjustment', () => {
  const adjust = (amountMinor: string): LedgerCommand => ({
    type: 'Adjust',
    data: {
      adjustmentId: 'adj',
      accountId: 'a',
      amountMinor,
      currency: 'EUR',
      reasonCode: 'fee_refund',
      note: 'refund of fee',
      actor: 'ops',
    },
  });

  it("posts against the partition's adjustment shard, even on a frozen account", () => {
    const decision = decide(adjust('-50'), lookupOf(customer('a', 100n, { freeze: 'all' })), {
      partition: 4,
    });
    expect(decision.journal?.postings).toEqual([
      { accountId: 'adjustment:EUR:p4', amountMinor: 50n },
      { accountId: 'a', amountMinor: -50n },
    ]);
  });

  it('refuses a debit that would break the overdraft limit', () => {
    expect(
      rejectionOf(decide(adjust('-101'), lookupOf(customer('a', 100n)), { partition: 0 })),
    ).toBe('insufficient_funds');
  });
});

describe('a partner difference found by reconciliation', () => {
  const difference = (accountId: string, amountMinor: string): LedgerCommand => ({
    type: 'BookPartnerDifference',
    data: {
      differenceId: 'diff-1',
      accountId,
      partnerId: 'sandbox',
      currency: 'EUR',
      amountMinor,
      reasonCode: 'bank_fee',
      evidence: 'STMT-2026-12-01-EUR entry 7',
      actor: 'reconciler',
    },
  });

  it("is its own journal between the partition's settlement and adjustment shards", () => {
    const decision = decide(difference('a', '2'), lookupOf(customer('a', 100n)), {
      partition: 3,
    });
    expect(decision.journal?.postings).toEqual([
      { accountId: 'settlement:sandbox:EUR:p3', amountMinor: 2n },
      { accountId: 'adjustment:EUR:p3', amountMinor: -2n },
    ]);
    // In the stream of the account it concerns, whose balance it leaves alone.
    expect(decision.events).toEqual([
      expect.objectContaining({
        streamId: 'a',
        type: 'PartnerDifferenceBooked',
        data: expect.objectContaining({ settlementAccountId: 'settlement:sandbox:EUR:p3' }),
      }),
    ]);
    expect(decision.journal?.postings.some((posting) => posting.accountId === 'a')).toBe(false);
  });

  it('books a difference the other way, and one about no account of ours', () => {
    const decision = decide(difference('reconciliation:sandbox', '-40'), lookupOf(), {
      partition: 0,
    });
    expect(rejectionOf(decision)).toBeNull();
    expect(decision.journal?.postings).toEqual([
      { accountId: 'settlement:sandbox:EUR:p0', amountMinor: -40n },
      { accountId: 'adjustment:EUR:p0', amountMinor: 40n },
    ]);
  });
});
