import { LedgerEvent, PartnerEvent } from '@rtp/contracts';
import { PaymentRecord } from '@rtp/gateway/application';
import {
  mergeStatusesReached,
  paymentEventMessages,
  statusesReachedOf,
} from '@rtp/gateway/projection';

/**
 * Examples of payments.events.v1 written by the projection's own code (the messages a payment's
 * events make, for a row as the read model holds it), so the document shows what is published.
 */
export interface MessageExample {
  key: string;
  payload: Record<string, unknown>;
}

const at = (second: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, second));
const balance = { postedMinor: '8750', pendingMinor: '0', availableMinor: '8750' };
const money = { amountMinor: '1250', currency: 'EUR' };
const transfer = (paymentId: string) => ({
  paymentId,
  sourceAccountId: 'acc-payer',
  destinationAccountId: 'acc-payee',
  ...money,
});
const payout = (paymentId: string) => ({
  paymentId,
  accountId: 'acc-payer',
  ...money,
  partnerId: 'sandbox',
});

function row(id: string, fields: Partial<PaymentRecord>): PaymentRecord {
  return {
    id,
    kind: 'transfer',
    clientId: 'acme',
    sourceAccountId: 'acc-payer',
    destinationAccountId: 'acc-payee',
    amountMinor: money.amountMinor,
    currency: money.currency,
    status: 'completed',
    failureCode: null,
    reference: 'invoice 2026-118',
    metadata: { orderId: 'A-17' },
    createdAt: at(0),
    updatedAt: at(3),
    failedLeg: null,
    sourceClientId: 'acme',
    destinationClientId: 'beta',
    payout: null,
    ...fields,
  };
}

const payoutDetails = (bankReference: string | null) => ({
  partnerId: 'sandbox',
  beneficiary: { iban: 'DE89370400440532013000', name: 'Grace Hopper', bic: null },
  endToEndId: 'e2e-pay-3c1d',
  bankReference,
  decided: true,
  escalated: false,
  history: [],
});

/** Each scenario: the events projected (with ids), and the payment's row after them. */
const SCENARIOS: { events: (LedgerEvent | PartnerEvent)[]; row: PaymentRecord }[] = [
  {
    events: [
      { type: 'TransferCompleted', data: { ...transfer('pay-8d2f'), balance, accountSequence: 3 } },
    ],
    row: row('pay-8d2f', {}),
  },
  {
    events: [
      {
        type: 'TransferRejected',
        data: {
          ...transfer('pay-91ac'),
          initiatedBy: 'acme',
          reference: 'invoice 2026-119',
          metadata: null,
          failureCode: 'insufficient_funds',
          accountSequence: 0,
        },
      },
    ],
    row: row('pay-91ac', { status: 'rejected', failureCode: 'insufficient_funds' }),
  },
  {
    events: [
      {
        type: 'DepositCompleted',
        data: {
          depositId: 'bank:sandbox:5e0c',
          accountId: 'acc-payee',
          ...money,
          reference: 'top-up',
          balance,
          accountSequence: 4,
        },
      },
    ],
    row: row('bank:sandbox:5e0c', {
      kind: 'deposit',
      clientId: 'admin',
      sourceAccountId: null,
      destinationAccountId: 'acc-payee',
      reference: 'top-up',
      metadata: null,
    }),
  },
  {
    events: [
      {
        type: 'DepositRejected',
        data: {
          depositId: 'bank:sandbox:77b1',
          accountId: 'acc-payee',
          ...money,
          failureCode: 'account_frozen',
          accountSequence: 0,
        },
      },
    ],
    row: row('bank:sandbox:77b1', {
      kind: 'deposit',
      clientId: 'admin',
      sourceAccountId: null,
      status: 'rejected',
      failureCode: 'account_frozen',
      reference: null,
      metadata: null,
    }),
  },
  {
    events: [
      {
        type: 'PayoutReturned',
        data: {
          ...payout('pay-3c1d'),
          partnerReference: 'bank-4410',
          reasonCode: 'bank_returned_ac04',
          balance,
          accountSequence: 7,
        },
      },
    ],
    row: row('pay-3c1d', {
      kind: 'payout',
      destinationAccountId: null,
      status: 'returned',
      failureCode: 'bank_returned_ac04',
      metadata: null,
      payout: payoutDetails('bank-4410'),
    }),
  },
  {
    events: [
      {
        type: 'PayoutReleased',
        data: {
          ...payout('pay-0b7e'),
          reasonCode: 'bank_rejected_ac01',
          resolvedBy: null,
          balance,
          accountSequence: 5,
        },
      },
    ],
    row: row('pay-0b7e', {
      kind: 'payout',
      destinationAccountId: null,
      status: 'failed',
      failureCode: 'bank_rejected_ac01',
      metadata: null,
      payout: payoutDetails(null),
    }),
  },
  {
    events: [
      {
        type: 'PayoutRejected',
        data: {
          ...payout('pay-5a90'),
          initiatedBy: 'acme',
          reference: null,
          failureCode: 'insufficient_funds',
          accountSequence: 0,
        },
      },
    ],
    row: row('pay-5a90', {
      kind: 'payout',
      destinationAccountId: null,
      status: 'rejected',
      failureCode: 'insufficient_funds',
      reference: null,
      metadata: null,
      payout: payoutDetails(null),
    }),
  },
];

/** One example per message type (the first scenario that publishes it). */
export function paymentEventExamples(): Map<string, MessageExample> {
  const examples = new Map<string, MessageExample>();
  for (const [index, scenario] of SCENARIOS.entries()) {
    const reached = mergeStatusesReached(
      scenario.events.map((event, eventIndex) =>
        statusesReachedOf(event, `ledger-event-${index}${eventIndex}`, at(3)),
      ),
    ).get(scenario.row.id);
    if (!reached) throw new Error(`scenario ${index} is about no payment`);
    const messages = paymentEventMessages(reached, scenario.row, {
      statuses: [],
      lastSequence: 0,
    });
    for (const message of messages) {
      if (!examples.has(message.messageType)) {
        examples.set(message.messageType, { key: message.key, payload: message.payload });
      }
    }
  }
  return examples;
}
