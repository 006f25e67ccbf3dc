import { LedgerEvent, PartnerEvent } from '@rtp/contracts';
import {
  PayoutChange,
  mergePayoutChanges,
  payoutChangeOfLedgerEvent,
  payoutChangeOfPartnerEvent,
} from './payout-changes';

const at = (second: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, second));
const balance = { postedMinor: '0', pendingMinor: '0', availableMinor: '0' };
const payout = {
  paymentId: 'p',
  accountId: 'a',
  amountMinor: '100',
  currency: 'EUR',
  partnerId: 'sandbox',
};

const reserved: LedgerEvent = {
  type: 'PayoutReserved',
  data: {
    ...payout,
    initiatedBy: 'acme',
    reference: null,
    beneficiary: { iban: 'DE89370400440532013000', name: 'E' },
    endToEndId: 'p',
    balance,
    accountSequence: 2,
  },
};
const settled: LedgerEvent = {
  type: 'PayoutSettled',
  data: { ...payout, partnerReference: 'bank-1', resolvedBy: null, balance, accountSequence: 3 },
};
const returned: LedgerEvent = {
  type: 'PayoutReturned',
  data: {
    ...payout,
    partnerReference: 'bank-1',
    reasonCode: 'bank_returned_ac04',
    balance,
    accountSequence: 4,
  },
};
const submitted: PartnerEvent = {
  type: 'PayoutSubmitted',
  data: {
    paymentId: 'p',
    accountId: 'a',
    partnerId: 'sandbox',
    attempt: 1,
    at: at(1).toISOString(),
  },
};

const merged = (...changes: (PayoutChange | null)[]) =>
  changes.filter((c): c is PayoutChange => c !== null).reduce(mergePayoutChanges);

describe('a payout change', () => {
  it('from its reservation creates the rows, ends the wait and records processing', () => {
    expect(payoutChangeOfLedgerEvent(reserved, at(0))).toMatchObject({
      creation: { clientId: 'acme', beneficiary: { iban: 'DE89370400440532013000' } },
      decided: true,
      status: { status: 'processing' },
      history: [{ status: 'processing', at: at(0) }],
    });
  });

  it('keeps the furthest status when the partner event is read after the settlement', () => {
    const change = merged(
      payoutChangeOfLedgerEvent(reserved, at(0)),
      payoutChangeOfLedgerEvent(settled, at(2)),
      payoutChangeOfPartnerEvent(submitted, at(1)),
    );
    expect(change.status).toEqual({ status: 'completed', failureCode: null, at: at(2) });
    expect(change.bankReference).toBe('bank-1');
    expect(change.history.map((entry) => entry.status)).toEqual([
      'processing',
      'completed',
      'pending',
    ]);
  });

  it('moves a completed payout on to returned, with the reason', () => {
    const change = merged(
      payoutChangeOfLedgerEvent(settled, at(2)),
      payoutChangeOfLedgerEvent(returned, at(3)),
    );
    expect(change.status).toEqual({
      status: 'returned',
      failureCode: 'bank_returned_ac04',
      at: at(3),
    });
  });

  it('shows a release as failed with the bank reason code', () => {
    const released: LedgerEvent = {
      type: 'PayoutReleased',
      data: {
        ...payout,
        reasonCode: 'bank_rejected_ac01',
        resolvedBy: null,
        balance,
        accountSequence: 3,
      },
    };
    expect(payoutChangeOfLedgerEvent(released, at(2))?.status).toEqual({
      status: 'failed',
      failureCode: 'bank_rejected_ac01',
      at: at(2),
    });
  });

  it('is none for events about no payout, and for outcomes the ledger tells', () => {
    const unknown: PartnerEvent = {
      type: 'PayoutOutcomeUnknown',
      data: {
        paymentId: 'p',
        accountId: 'a',
        partnerId: 'sandbox',
        cause: 'timeout',
        at: at(1).toISOString(),
      },
    };
    expect(payoutChangeOfPartnerEvent(unknown, at(1))).toBeNull();
    const adjusted: LedgerEvent = {
      type: 'AccountAdjusted',
      data: {
        adjustmentId: 'j',
        accountId: 'a',
        amountMinor: '1',
        currency: 'EUR',
        reasonCode: 'fee',
        note: 'n',
        actor: 'o',
        balance,
        accountSequence: 5,
      },
    };
    expect(payoutChangeOfLedgerEvent(adjusted, at(1))).toBeNull();
  });
});
