import { LedgerCommand } from '@rtp/contracts';
import { AMOUNT_MINOR_MAX, AMOUNT_MINOR_MIN } from './checked-amounts';
import { decide, rejectionOf } from './decide';
import { customer, lookupOf } from './test-accounts';
import { newSystemAccount } from './account';

const MAX = AMOUNT_MINOR_MAX;
const deposit = (amountMinor: string): LedgerCommand => ({
  type: 'Deposit',
  data: {
    depositId: 'd1',
    accountId: 'a',
    amountMinor,
    currency: 'EUR',
    partnerId: 'sandbox',
    reference: 'wire',
  },
});
const credit = (amountMinor: string): LedgerCommand => ({
  type: 'CreditTransfer',
  data: {
    paymentId: 'p1',
    sourceAccountId: 's',
    destinationAccountId: 'a',
    amountMinor,
    currency: 'EUR',
  },
});
const settlement = (postedMinor: bigint) => ({
  ...newSystemAccount('settlement:sandbox:EUR:p0', 'settlement', 'EUR'),
  postedMinor,
});

describe('checked arithmetic in the decider', () => {
  describe('when a deposit would take the settlement shard below the signed 64-bit minimum', () => {
    it('rejects the deposit with amount_out_of_range and writes no journal', () => {
      const accounts = lookupOf(customer('a', 0n), settlement(-2n));
      const decision = decide(deposit(MAX.toString()), accounts, { partition: 0 });
      expect(decision.journal).toBeNull();
      expect(decision.events).toEqual([
        expect.objectContaining({
          type: 'DepositRejected',
          data: expect.objectContaining({ failureCode: 'amount_out_of_range' }),
        }),
      ]);
    });
  });

  describe('when a deposit would take the customer above the maximum', () => {
    it('rejects it', () => {
      const accounts = lookupOf(customer('a', MAX - 10n), settlement(0n));
      expect(rejectionOf(decide(deposit('11'), accounts, { partition: 0 }))).toBe(
        'amount_out_of_range',
      );
    });
  });

  describe('when the balances land exactly on the limits', () => {
    it('accepts the deposit', () => {
      const accounts = lookupOf(customer('a', MAX - 10n), settlement(AMOUNT_MINOR_MIN + 10n));
      const decision = decide(deposit('10'), accounts, { partition: 0 });
      expect(decision.events[0].type).toBe('DepositCompleted');
      expect(decision.journal?.postings.map((posting) => posting.amountMinor)).toEqual([-10n, 10n]);
    });
  });

  describe('when the second leg of a transfer cannot be credited without overflow', () => {
    it('refunds the source instead of crediting', () => {
      const accounts = lookupOf(customer('a', MAX));
      const decision = decide(credit('1'), accounts, { partition: 0 });
      expect(decision.journal).toBeNull();
      expect(decision.followUps).toEqual([
        expect.objectContaining({
          type: 'RefundTransfer',
          key: 's',
          data: expect.objectContaining({ failureCode: 'amount_out_of_range' }),
        }),
      ]);
    });
  });

  describe('when posted minus pending would overflow', () => {
    it('rejects the payout hold', () => {
      const source = customer('a', AMOUNT_MINOR_MIN + 5n, { overdraftLimitMinor: null });
      const reserve: LedgerCommand = {
        type: 'ReservePayout',
        data: {
          paymentId: 'p2',
          accountId: 'a',
          amountMinor: '10',
          currency: 'EUR',
          partnerId: 'sandbox',
          initiatedBy: 'c',
          reference: null,
          beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann' },
          endToEndId: 'p2',
        },
      };
      expect(decide(reserve, lookupOf(source), { partition: 0 }).events[0]).toEqual(
        expect.objectContaining({
          type: 'PayoutRejected',
          data: expect.objectContaining({ failureCode: 'amount_out_of_range' }),
        }),
      );
    });
  });
});
