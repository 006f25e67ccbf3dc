import { BankTransferView, StatusTimes, applyBankStatus } from './bank-status';
import { Payout, PayoutState } from './payout';

const now = new Date('2026-12-01T10:00:00Z');
const times: StatusTimes = {
  now,
  nextCheckAt: new Date('2026-12-01T10:00:05Z'),
  returnWatchMs: 60_000,
  returnCheckIntervalMs: 10_000,
};

function payout(state: PayoutState, bankTransferId: string | null = null): Payout {
  return {
    paymentId: 'pay-1',
    accountId: 'acc-1',
    partnerId: 'sandbox',
    amountMinor: '1500',
    currency: 'EUR',
    beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann' },
    endToEndId: 'e2e-pay-1',
    reference: null,
    state,
    bankTransferId,
    submissions: 1,
    checks: 0,
    nextCheckAt: null,
    nextSendAt: now,
    deadlineAt: new Date('2026-12-01T11:00:00Z'),
    reservedAt: now,
    returnWatchUntil: null,
    escalatedAt: null,
  };
}

const transfer = (status: BankTransferView['status'], reasonCode: string | null = null) => ({
  id: 'bt-1',
  status,
  reasonCode,
  amountMinor: '1500',
  currency: 'EUR',
});

const types = (change: { effects: { type: string }[] }) => change.effects.map((e) => e.type);

describe('applyBankStatus', () => {
  describe('when the bank booked a pending payout', () => {
    it('settles it once with the bank id as partner reference', () => {
      const change = applyBankStatus(payout('pending'), transfer('booked'), times);
      expect(change.state).toBe('booked');
      expect(types(change)).toEqual(['SettlePayout', 'PayoutBookedByBank']);
      expect(change.effects[0]).toMatchObject({
        id: 'payout:pay-1:settle',
        data: { partnerReference: 'bt-1' },
      });
    });
    it('does nothing the second time', () => {
      expect(applyBankStatus(payout('booked', 'bt-1'), transfer('booked'), times).effects).toEqual(
        [],
      );
    });
  });

  describe('when the bank rejected it', () => {
    it('releases the hold with bank_rejected_<code>', () => {
      const change = applyBankStatus(payout('submitting'), transfer('rejected', 'AC01'), times);
      expect(change.state).toBe('rejected');
      expect(change.effects[0]).toMatchObject({
        type: 'ReleasePayout',
        data: { reasonCode: 'bank_rejected_ac01' },
      });
    });
  });

  describe('when a booked payout comes back', () => {
    it('returns it once, with a deterministic command id', () => {
      const change = applyBankStatus(payout('booked', 'bt-1'), transfer('returned', 'AC04'), times);
      expect(change.state).toBe('returned');
      expect(types(change)).toEqual(['ReturnPayout', 'PayoutReturnedByBank']);
      expect(change.effects[0].id).toBe('payout:pay-1:return');
      // The ledger's snake_case reason; the partner event keeps the bank's ISO code.
      expect(change.effects[0].data.reasonCode).toBe('bank_returned_ac04');
      expect(change.effects[1].data.reasonCode).toBe('AC04');
      const again = applyBankStatus(
        payout('returned', 'bt-1'),
        transfer('returned', 'AC04'),
        times,
      );
      expect(again.effects).toEqual([]);
    });
    it('settles first when the booking was never seen', () => {
      const change = applyBankStatus(payout('pending'), transfer('returned', 'AC04'), times);
      expect(types(change)).toEqual([
        'SettlePayout',
        'PayoutBookedByBank',
        'ReturnPayout',
        'PayoutReturnedByBank',
      ]);
    });
  });

  it('records the bank id of an accepted payout once and keeps it pending', () => {
    const first = applyBankStatus(payout('submitting'), transfer('accepted'), times);
    expect(first).toMatchObject({ state: 'pending', bankTransferId: 'bt-1' });
    expect(types(first)).toEqual(['PayoutAcceptedByBank']);
    expect(applyBankStatus(payout('pending', 'bt-1'), transfer('accepted'), times).effects).toEqual(
      [],
    );
  });

  it('never books a rejected payout', () => {
    expect(applyBankStatus(payout('rejected'), transfer('booked'), times).effects).toEqual([]);
  });

  it('does not act on a transfer whose amount differs', () => {
    const other = { ...transfer('booked'), amountMinor: '1499' };
    expect(applyBankStatus(payout('pending'), other, times).state).toBe('pending');
  });
});
