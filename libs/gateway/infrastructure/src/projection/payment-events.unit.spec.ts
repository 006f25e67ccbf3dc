import { LedgerEvent, parsePaymentEvent } from '@rtp/contracts';
import { PaymentRecord } from '@rtp/gateway/application';
import { paymentEventMessages, statusesToPublish } from './payment-event-messages';
import { mergeStatusesReached, statusesReachedOf } from './payment-events';

const at = (second: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, second));
const legs = {
  paymentId: 'pay-1',
  sourceAccountId: 'acc-a',
  destinationAccountId: 'acc-b',
  amountMinor: '1250',
  currency: 'EUR',
};
const balance = { postedMinor: '0', pendingMinor: '0', availableMinor: '0' };
const debited: LedgerEvent = {
  type: 'TransferDebited',
  data: {
    ...legs,
    initiatedBy: 'acme',
    reference: 'r',
    metadata: null,
    balance,
    accountSequence: 2,
  },
};
const completed: LedgerEvent = {
  type: 'TransferCompleted',
  data: { ...legs, balance, accountSequence: 2 },
};

const row = (fields: Partial<PaymentRecord> = {}): PaymentRecord => ({
  id: 'pay-1',
  kind: 'transfer',
  clientId: 'acme',
  sourceAccountId: 'acc-a',
  destinationAccountId: 'acc-b',
  amountMinor: '1250',
  currency: 'EUR',
  status: 'completed',
  failureCode: null,
  reference: 'r',
  metadata: null,
  createdAt: at(0),
  updatedAt: at(2),
  failedLeg: null,
  sourceClientId: 'acme',
  destinationClientId: 'beta',
  payout: null,
  ...fields,
});

const reachedOf = (...events: [LedgerEvent, string, Date][]) =>
  mergeStatusesReached(events.map(([event, id, time]) => statusesReachedOf(event, id, time))).get(
    'pay-1',
  )!;
const nothingPublished = { statuses: [], lastSequence: 0 };

describe('the payment events of a transfer', () => {
  describe('when its completion is projected with nothing published yet', () => {
    const messages = paymentEventMessages(
      reachedOf([completed, 'ev-2', at(2)]),
      row(),
      nothingPublished,
    );

    it('publishes processing then completed, numbered 1 and 2, keyed by the source', () => {
      expect(messages.map((m) => [m.messageType, m.statusSequence, m.key])).toEqual([
        ['PaymentProcessing', 1, 'acc-a'],
        ['PaymentCompleted', 2, 'acc-a'],
      ]);
      expect(messages.map((m) => m.messageId)).toEqual([
        'payment-event:pay-1:processing',
        'payment-event:pay-1:completed',
      ]);
    });

    it('writes messages that parse with the contract, derived from the completion', () => {
      for (const message of messages) {
        const parsed = parsePaymentEvent(message.messageType, message.payload.data);
        expect(parsed?.data.derivedFrom).toEqual(['ev-2']);
        expect(parsed?.data.payment.status).toBe(message.status);
      }
    });
  });

  it('publishes only what follows the statuses published already', () => {
    const published = { statuses: ['processing' as const], lastSequence: 1 };
    const messages = paymentEventMessages(reachedOf([completed, 'ev-2', at(2)]), row(), published);
    expect(messages.map((m) => [m.status, m.statusSequence])).toEqual([['completed', 2]]);
  });

  it('publishes nothing for a late debit after the completion was published', () => {
    const published = { statuses: ['processing' as const, 'completed' as const], lastSequence: 2 };
    expect(statusesToPublish(reachedOf([debited, 'ev-1', at(1)]), row(), published)).toEqual([]);
  });

  it('waits while its row does not know its client (the credit leg projected first)', () => {
    expect(
      statusesToPublish(reachedOf([completed, 'ev-2', at(2)]), row({ clientId: '' }), {
        statuses: [],
        lastSequence: 0,
      }),
    ).toEqual([]);
  });

  it('publishes nothing the read model has not reached', () => {
    const processing = row({ status: 'processing' });
    expect(
      statusesToPublish(reachedOf([completed, 'ev-2', at(2)]), processing, nothingPublished),
    ).toEqual(['processing']);
  });
});

describe('the payment events of a payout', () => {
  const payout = row({
    kind: 'payout',
    destinationAccountId: null,
    status: 'returned',
    failureCode: 'bank_returned_ac04',
    payout: {
      partnerId: 'sandbox',
      beneficiary: { iban: 'DE89370400440532013000', name: 'Grace Hopper', bic: null },
      endToEndId: 'e2e-1',
      bankReference: 'bank-1',
      decided: true,
      escalated: false,
      history: [],
    },
  });
  const returned: LedgerEvent = {
    type: 'PayoutReturned',
    data: {
      paymentId: 'pay-1',
      accountId: 'acc-a',
      amountMinor: '1250',
      currency: 'EUR',
      partnerId: 'sandbox',
      partnerReference: 'bank-1',
      reasonCode: 'bank_returned_ac04',
      balance,
      accountSequence: 4,
    },
  };

  it('publishes its whole path from a return, the failure code on the return only', () => {
    const messages = paymentEventMessages(reachedOf([returned, 'ev-4', at(4)]), payout, {
      statuses: [],
      lastSequence: 0,
    });
    expect(
      messages.map((m) => {
        const data = parsePaymentEvent(m.messageType, m.payload.data)!.data;
        return [m.messageType, data.statusSequence, data.payment.failureCode];
      }),
    ).toEqual([
      ['PayoutProcessing', 1, null],
      ['PayoutPending', 2, null],
      ['PayoutCompleted', 3, null],
      ['PayoutReturned', 4, 'bank_returned_ac04'],
    ]);
    const beneficiary = parsePaymentEvent(messages[0].messageType, messages[0].payload.data)!.data
      .payment.beneficiary;
    expect(beneficiary).toEqual({ ibanMasked: 'DE89**************3000', name: 'Grace Hopper' });
  });
});
