import { LedgerCommand } from '@rtp/contracts';
import { decide, rejectionOf } from './decide';
import { customer, lookupOf } from './test-accounts';
import { applyJournal } from './apply-effects';
import { InvariantViolation, assertJournalMustBalance } from './invariants';

const transfer = (amountMinor: string, overrides: Record<string, unknown> = {}): LedgerCommand => ({
  type: 'TransferFunds',
  data: {
    paymentId: 'p1',
    sourceAccountId: 'a',
    destinationAccountId: 'b',
    amountMinor,
    currency: 'EUR',
    initiatedBy: 'client',
    reference: null,
    metadata: null,
    ...overrides,
  },
});

describe('TransferFunds on the source partition', () => {
  describe('when the source has enough available', () => {
    it("debits the source, credits the partition's transit shard and asks the destination to credit", () => {
      const accounts = lookupOf(customer('a', 1_000n));
      const decision = decide(transfer('400'), accounts, { partition: 3 });
      expect(decision.events.map((event) => event.type)).toEqual(['TransferDebited']);
      expect(decision.journal?.postings).toEqual([
        { accountId: 'a', amountMinor: -400n },
        { accountId: 'transit:EUR:p3', amountMinor: 400n },
      ]);
      expect(decision.followUps).toEqual([
        expect.objectContaining({
          type: 'CreditTransfer',
          key: 'b',
          id: 'transfer:p1:credit',
        }),
      ]);
      applyJournal(decision.journal!, (id) => accounts.all.get(id));
      expect(accounts.all.get('a')?.postedMinor).toBe(600n);
      expect(accounts.all.get('transit:EUR:p3')?.postedMinor).toBe(400n);
    });
  });

  it.each([
    ['more than available', customer('a', 399n), transfer('400'), 'insufficient_funds'],
    [
      'a frozen source',
      customer('a', 1_000n, { freeze: 'debits' }),
      transfer('1'),
      'account_frozen',
    ],
    [
      'a closed source',
      customer('a', 1_000n, { status: 'closed' }),
      transfer('1'),
      'account_closed',
    ],
    [
      'another currency',
      customer('a', 1_000n, { currency: 'USD' }),
      transfer('1'),
      'currency_mismatch',
    ],
    [
      'the same account on both sides',
      customer('a', 1_000n),
      transfer('1', { destinationAccountId: 'a' }),
      'same_account',
    ],
  ])('rejects %s without a journal', (_name, source, command, failureCode) => {
    const decision = decide(command, lookupOf(source), { partition: 0 });
    expect(decision.journal).toBeNull();
    expect(decision.followUps).toEqual([]);
    expect(decision.events).toEqual([
      expect.objectContaining({
        type: 'TransferRejected',
        data: expect.objectContaining({ failureCode }),
      }),
    ]);
  });

  it('rejects an unknown source with account_not_found', () => {
    const decision = decide(transfer('1'), lookupOf(), { partition: 0 });
    expect(rejectionOf(decision)).toBe('account_not_found');
  });

  it('lets an account with an overdraft limit go below zero down to the limit only', () => {
    const source = customer('a', 100n, { overdraftLimitMinor: 50n });
    expect(decide(transfer('150'), lookupOf(source), { partition: 0 }).events[0].type).toBe(
      'TransferDebited',
    );
    expect(decide(transfer('151'), lookupOf(source), { partition: 0 }).events[0].type).toBe(
      'TransferRejected',
    );
  });
});

describe('CreditTransfer on the destination partition', () => {
  const credit: LedgerCommand = {
    type: 'CreditTransfer',
    data: {
      paymentId: 'p1',
      sourceAccountId: 'a',
      destinationAccountId: 'b',
      amountMinor: '400',
      currency: 'EUR',
    },
  };

  it('debits the transit shard and credits the destination', () => {
    const decision = decide(credit, lookupOf(customer('b', 0n)), { partition: 7 });
    expect(decision.events.map((event) => event.type)).toEqual(['TransferCompleted']);
    expect(decision.journal?.postings).toEqual([
      { accountId: 'transit:EUR:p7', amountMinor: -400n },
      { accountId: 'b', amountMinor: 400n },
    ]);
  });

  describe('when the destination cannot take it', () => {
    it.each([
      ['it does not exist', undefined, 'account_not_found'],
      ['it is frozen', customer('b', 0n, { freeze: 'credits' }), 'account_frozen'],
      ['it holds another currency', customer('b', 0n, { currency: 'GBP' }), 'currency_mismatch'],
    ])('sends a refund to the source when %s', (_name, destination, failureCode) => {
      const decision = decide(credit, destination ? lookupOf(destination) : lookupOf(), {
        partition: 7,
      });
      expect(decision.journal).toBeNull();
      expect(decision.followUps).toEqual([
        expect.objectContaining({
          type: 'RefundTransfer',
          key: 'a',
          id: 'transfer:p1:refund',
          data: expect.objectContaining({ failureCode }),
        }),
      ]);
    });
  });
});

describe('Deposit', () => {
  it('credits the account from the partner settlement shard', () => {
    const decision = decide(
      {
        type: 'Deposit',
        data: {
          depositId: 'd1',
          accountId: 'a',
          amountMinor: '500',
          currency: 'EUR',
          partnerId: 'sandbox',
          reference: 'r',
        },
      },
      lookupOf(customer('a', 0n)),
      { partition: 2 },
    );
    expect(decision.journal?.postings).toEqual([
      { accountId: 'settlement:sandbox:EUR:p2', amountMinor: -500n },
      { accountId: 'a', amountMinor: 500n },
    ]);
  });
});

describe('OpenAccount', () => {
  it('opens an active zero-balance account, and refuses to open the same id twice', () => {
    const command: LedgerCommand = {
      type: 'OpenAccount',
      data: { accountId: 'n', currency: 'JPY', ownerId: 'c', name: null, metadata: null },
    };
    const first = decide(command, lookupOf(), { partition: 0 });
    expect(first.opened).toMatchObject({
      accountId: 'n',
      currency: 'JPY',
      status: 'active',
      postedMinor: 0n,
    });
    const second = decide(command, lookupOf(first.opened!), { partition: 0 });
    expect(second.events[0]).toMatchObject({
      type: 'AccountOpenRejected',
      data: expect.objectContaining({ failureCode: 'account_already_exists' }),
    });
  });
});

describe('JournalMustBalance', () => {
  it('fails loudly on a journal that does not sum to zero', () => {
    expect(() =>
      assertJournalMustBalance({
        currency: 'EUR',
        postings: [
          { accountId: 'a', amountMinor: -1n },
          { accountId: 'b', amountMinor: 2n },
        ],
      }),
    ).toThrow(InvariantViolation);
  });
});
