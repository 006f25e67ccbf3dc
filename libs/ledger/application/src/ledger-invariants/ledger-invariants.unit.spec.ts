import { AccountState } from '@rtp/ledger/domain';
import { CommittedBatch, LedgerInvariants } from './ledger-invariants';

function account(overrides: Partial<AccountState> & { accountId: string }): AccountState {
  return {
    currency: 'EUR',
    kind: 'customer',
    status: 'open',
    freeze: 'none',
    postedMinor: 0n,
    pendingMinor: 0n,
    overdraftLimitMinor: 0n,
    perDebitLimitMinor: null,
    holds: new Map(),
    sequence: 1,
    lastHash: '',
    ...overrides,
  } as AccountState;
}

const event = (type: string, amountMinor: string, currency = 'EUR') => ({
  eventId: `${type}-${amountMinor}`,
  accountId: 'a',
  sequence: 1,
  hash: null,
  type,
  commandId: 'c',
  correlationId: 'c',
  dataJson: JSON.stringify({ currency, amountMinor }),
});

const entry = (accountId: string, amountMinor: bigint, currency = 'EUR') => ({
  journalId: 'j',
  accountId,
  currency,
  amountMinor,
});

const empty = () =>
  new LedgerInvariants({
    entriesSumMinor: new Map(),
    transitMinor: new Map(),
    inFlightMinor: new Map(),
    negativeAvailable: [],
    holdsBeyondPosted: [],
  });

/** A debit of `amount` from alice into the transit shard, as its batch writes it. */
const debit = (amount: bigint): CommittedBatch => ({
  accounts: [
    account({ accountId: 'alice', postedMinor: 1_000n - amount }),
    account({
      accountId: 'transit:EUR:p0',
      kind: 'transit',
      postedMinor: amount,
      overdraftLimitMinor: null,
    }),
  ],
  entries: [entry('alice', -amount), entry('transit:EUR:p0', amount)],
  events: [event('TransferDebited', String(amount))],
});

describe('LedgerInvariants', () => {
  describe('when a transfer is debited and then completed in other batches', () => {
    it('keeps every invariant, with the money in flight until the credit', () => {
      const invariants = empty();
      invariants.committed(debit(300n));
      expect(invariants.currencies()).toEqual([
        { currency: 'EUR', entriesSumMinor: 0n, transitMinor: 300n, inFlightMinor: 300n },
      ]);
      invariants.committed({
        accounts: [
          account({ accountId: 'bob', postedMinor: 300n }),
          account({
            accountId: 'transit:EUR:p1',
            kind: 'transit',
            postedMinor: -300n,
            overdraftLimitMinor: null,
          }),
        ],
        entries: [entry('transit:EUR:p1', -300n), entry('bob', 300n)],
        events: [event('TransferCompleted', '300')],
      });
      expect(invariants.currencies()[0]).toMatchObject({ transitMinor: 0n, inFlightMinor: 0n });
      expect(Object.values(invariants.violated())).toEqual([false, false, false, false]);
    });
  });

  describe('when the figures read at start already break an invariant', () => {
    it('reports it until a batch changes the account back', () => {
      const invariants = new LedgerInvariants({
        entriesSumMinor: new Map([['EUR', 5n]]),
        transitMinor: new Map([['EUR', 10n]]),
        inFlightMinor: new Map([['EUR', 0n]]),
        negativeAvailable: ['carol'],
        holdsBeyondPosted: [],
      });
      expect(invariants.violated()).toEqual({
        entries_sum_zero: true,
        transit_equals_in_flight: true,
        no_negative_available: true,
        holds_within_posted: false,
      });
      invariants.committed({
        accounts: [account({ accountId: 'carol', postedMinor: 1n })],
        entries: [],
        events: [],
      });
      expect(invariants.violated().no_negative_available).toBe(false);
    });
  });

  describe('when a batch breaks an invariant', () => {
    it('sees a journal that does not balance', () => {
      const invariants = empty();
      invariants.committed({
        accounts: [],
        entries: [entry('alice', -5n), entry('bob', 4n)],
        events: [],
      });
      expect(invariants.violated().entries_sum_zero).toBe(true);
      expect(invariants.currencies()[0].entriesSumMinor).toBe(-1n);
    });

    it('sees a debit whose transit posting differs from its event', () => {
      const invariants = empty();
      const batch = debit(300n);
      invariants.committed({ ...batch, events: [event('TransferDebited', '299')] });
      expect(invariants.violated().transit_equals_in_flight).toBe(true);
    });

    it('sees an account without overdraft below zero, and one within its overdraft as fine', () => {
      const invariants = empty();
      invariants.committed({
        accounts: [
          account({ accountId: 'dave', postedMinor: -1n }),
          account({ accountId: 'erin', postedMinor: -50n, overdraftLimitMinor: 100n }),
        ],
        entries: [],
        events: [],
      });
      expect(invariants.violated().no_negative_available).toBe(true);
      invariants.committed({
        accounts: [account({ accountId: 'dave', postedMinor: 0n })],
        entries: [],
        events: [],
      });
      expect(invariants.violated().no_negative_available).toBe(false);
    });

    it.each([
      ['pending differs from its holds', 50n, 40n, 100n],
      ['holds beyond posted', 150n, 150n, 100n],
    ])('sees %s', (_case, pendingMinor, holdMinor, postedMinor) => {
      const invariants = empty();
      const holds = new Map([['p1', { amountMinor: holdMinor, partnerId: 'bank' }]]);
      invariants.committed({
        accounts: [
          account({
            accountId: 'fay',
            postedMinor,
            pendingMinor,
            holds,
          }),
        ],
        entries: [],
        events: [],
      });
      expect(invariants.violated().holds_within_posted).toBe(true);
    });
  });

  it('keeps currencies apart', () => {
    const invariants = empty();
    invariants.committed({
      accounts: [],
      entries: [entry('a', 5n, 'EUR'), entry('b', -5n, 'USD')],
      events: [event('TransferRefunded', '7', 'USD')],
    });
    expect(invariants.currencies().map((figures) => figures.currency)).toEqual(['EUR', 'USD']);
    expect(invariants.currencies()[1].inFlightMinor).toBe(-7n);
  });
});
