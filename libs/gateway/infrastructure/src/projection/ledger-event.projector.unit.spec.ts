import { LedgerEvent } from '@rtp/contracts';
import { ProjectedEvent, projectLedgerEvents } from './ledger-event.projector';

const TIME = new Date('2026-01-02T03:04:05.000Z');
const balance = (postedMinor: string, pendingMinor = '0') => ({
  postedMinor,
  pendingMinor,
  availableMinor: postedMinor,
});
const at = (event: LedgerEvent, causationId: string | null = null): ProjectedEvent => ({
  event,
  time: TIME,
  causationId,
});

const legs = {
  paymentId: 'pay-1',
  sourceAccountId: 'src',
  destinationAccountId: 'dst',
  amountMinor: '500',
  currency: 'EUR',
};
const debited: LedgerEvent = {
  type: 'TransferDebited',
  data: {
    ...legs,
    accountSequence: 4,
    initiatedBy: 'acme',
    reference: 'invoice 7',
    metadata: { order: '7' },
    balance: balance('1500'),
  },
};
const completed: LedgerEvent = {
  type: 'TransferCompleted',
  data: { ...legs, accountSequence: 9, balance: balance('2500') },
};
const refunded: LedgerEvent = {
  type: 'TransferRefunded',
  data: { ...legs, accountSequence: 5, failureCode: 'account_frozen', balance: balance('2000') },
};
const deposit = (accountSequence: number, postedMinor: string): LedgerEvent => ({
  type: 'DepositCompleted',
  data: {
    depositId: `dep-${accountSequence}`,
    accountId: 'src',
    amountMinor: '100',
    currency: 'EUR',
    reference: 'top-up',
    balance: balance(postedMinor),
    accountSequence,
  },
});
const frozen = (accountSequence: number): LedgerEvent => ({
  type: 'AccountFrozen',
  data: {
    accountId: 'src',
    mode: 'debits',
    freeze: 'debits',
    reasonCode: 'fraud',
    actor: 'ops',
    accountSequence,
  },
});

const changesOf = (...events: LedgerEvent[]) => projectLedgerEvents(events.map((e) => at(e)));
const paymentsOf = (...events: LedgerEvent[]) => changesOf(...events).payments;
const accountOf = (accountId: string, ...events: LedgerEvent[]) =>
  changesOf(...events).accounts.find((change) => change.accountId === accountId);

describe('projectLedgerEvents', () => {
  describe('when both legs of a transfer are in one transaction', () => {
    const merged = {
      paymentId: 'pay-1',
      kind: 'transfer',
      clientId: 'acme',
      sourceAccountId: 'src',
      destinationAccountId: 'dst',
      amountMinor: '500',
      currency: 'EUR',
      reference: 'invoice 7',
      metadata: { order: '7' },
    };

    it.each([
      ['debit first', [debited, completed]],
      ['credit first', [completed, debited]],
    ])("writes one completed payment with the debit leg's details (%s)", (_, events) => {
      expect(paymentsOf(...events)).toEqual([
        { ...merged, status: 'completed', failureCode: null, failedLeg: null },
      ]);
    });

    it.each([
      ['debit first', [debited, refunded]],
      ['refund first', [refunded, debited]],
    ])('writes one payment refused by the credit leg (%s)', (_, events) => {
      expect(paymentsOf(...events)).toEqual([
        { ...merged, status: 'rejected', failureCode: 'account_frozen', failedLeg: 'credit' },
      ]);
    });
  });

  describe("when a payment's status has left processing in the transaction", () => {
    it('keeps the first outcome and its failure code', () => {
      const [payment] = paymentsOf(completed, refunded);
      expect(payment).toMatchObject({ status: 'completed', failureCode: null, failedLeg: null });
    });
  });

  describe('when an event is delivered twice', () => {
    const once = projectLedgerEvents([at(debited)]);
    const twice = projectLedgerEvents([at(debited), at(debited)]);

    it('writes what the event alone writes', () => {
      expect(twice).toEqual(once);
      expect(twice.entries).toHaveLength(1);
    });

    it('records an account opening and a freeze outcome once', () => {
      const opened: LedgerEvent = {
        type: 'AccountOpened',
        data: {
          accountId: 'new',
          currency: 'EUR',
          ownerId: 'acme',
          name: null,
          metadata: null,
          status: 'active',
          currencyExponent: 2,
          overdraftLimitMinor: '0',
          perDebitLimitMinor: null,
          balance: balance('0'),
          accountSequence: 1,
        },
      };
      const changes = projectLedgerEvents([
        at(opened),
        at(frozen(3), 'freeze-1'),
        at(opened),
        at(frozen(3), 'freeze-1'),
      ]);
      expect(changes.openings).toHaveLength(1);
      expect(changes.actionOutcomes.map((outcome) => outcome.commandId)).toEqual(['freeze-1']);
    });
  });

  describe('when an account moves several times in one transaction', () => {
    it.each([
      ['in order', [deposit(5, '100'), deposit(6, '200'), deposit(7, '300')]],
      ['out of order', [deposit(7, '300'), deposit(5, '100'), deposit(6, '200')]],
    ])('keeps the balance of the highest sequence (%s)', (_, events) => {
      expect(accountOf('src', ...events)).toEqual({
        accountId: 'src',
        sequence: 7,
        balance: { value: { postedMinor: '300', pendingMinor: '0' }, sequence: 7 },
        status: null,
        freezeMode: null,
      });
    });

    it('keeps each column group from the latest event that set it', () => {
      const rejection: LedgerEvent = {
        type: 'AccountCommandRejected',
        data: {
          accountId: 'src',
          commandType: 'Payout',
          paymentId: null,
          failureCode: 'account_frozen',
          accountSequence: 8,
        },
      };
      expect(accountOf('src', deposit(5, '100'), frozen(6), deposit(7, '300'), rejection)).toEqual({
        accountId: 'src',
        sequence: 8,
        balance: { value: { postedMinor: '300', pendingMinor: '0' }, sequence: 7 },
        status: { value: 'frozen', sequence: 6 },
        freezeMode: { value: 'debits', sequence: 6 },
      });
    });

    it("records a freeze's outcome with the account as that event left it", () => {
      const changes = projectLedgerEvents([
        at(deposit(5, '100')),
        at(frozen(6), 'freeze-1'),
        at(deposit(7, '300')),
      ]);
      expect(changes.actionOutcomes).toEqual([
        {
          commandId: 'freeze-1',
          accountId: 'src',
          eventType: 'AccountFrozen',
          failureCode: null,
          occurredAt: TIME,
          accountChange: {
            accountId: 'src',
            sequence: 6,
            balance: { value: { postedMinor: '100', pendingMinor: '0' }, sequence: 5 },
            status: { value: 'frozen', sequence: 6 },
            freezeMode: { value: 'debits', sequence: 6 },
          },
        },
      ]);
    });
  });

  describe('the requests it wakes', () => {
    it('names the accounts and the freeze commands, not the payments', () => {
      const changes = projectLedgerEvents([at(debited), at(completed), at(frozen(6), 'freeze-1')]);
      expect(changes.wokenIds.sort()).toEqual(['dst', 'freeze-1', 'src']);
    });
  });
});
