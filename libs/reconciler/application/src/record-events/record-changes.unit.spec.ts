import { LedgerEvent, PartnerEvent } from '@rtp/contracts';
import { ledgerRecordChange, partnerRecordChange } from './record-changes';

const balance = { postedMinor: '0', pendingMinor: '0', availableMinor: '0' };
const payout = { paymentId: 'p-1', accountId: 'a', amountMinor: '100', currency: 'EUR' };

describe('record changes', () => {
  it('dates a settled payout by its event and derives its end-to-end id', () => {
    const event = {
      type: 'PayoutSettled',
      data: {
        ...payout,
        partnerId: 'sandbox',
        partnerReference: 'x',
        resolvedBy: null,
        balance,
        accountSequence: 2,
      },
    } as LedgerEvent;
    expect(ledgerRecordChange(event, '2026-03-10T23:59:59.000Z', 'sandbox')).toMatchObject({
      status: 'completed',
      endToEndId: 'p1',
      date: '2026-03-10',
      creditDebit: 'DBIT',
    });
    expect(ledgerRecordChange(event, '2026-03-10T12:00:00.000Z', 'other')).toBeNull();
  });

  it('keys a deposit of the partner by the bank transaction id, ignores others', () => {
    const deposit = (depositId: string) =>
      ({
        type: 'DepositCompleted',
        data: {
          depositId,
          accountId: 'a',
          amountMinor: '5',
          currency: 'EUR',
          reference: '',
          balance,
          accountSequence: 1,
        },
      }) as LedgerEvent;
    expect(
      ledgerRecordChange(deposit('bank:sandbox:TX9'), '2026-03-10T01:00:00Z', 'sandbox'),
    ).toMatchObject({
      kind: 'deposit',
      bankTransactionId: 'TX9',
      creditDebit: 'CRDT',
    });
    expect(ledgerRecordChange(deposit('manual-1'), '2026-03-10T01:00:00Z', 'sandbox')).toBeNull();
  });

  it('takes an unknown outcome as pending and nothing else from the adapter', () => {
    const unknown = {
      type: 'PayoutOutcomeUnknown',
      data: {
        paymentId: 'p-1',
        accountId: 'a',
        partnerId: 'sandbox',
        cause: 'timeout',
        at: '2026-03-10T01:00:00Z',
      },
    } as PartnerEvent;
    expect(partnerRecordChange(unknown, 'sandbox')).toMatchObject({
      status: 'pending',
      amountMinor: null,
    });
    const booked = { ...unknown, type: 'PayoutBookedByBank' } as unknown as PartnerEvent;
    expect(partnerRecordChange(booked, 'sandbox')).toBeNull();
  });
});
