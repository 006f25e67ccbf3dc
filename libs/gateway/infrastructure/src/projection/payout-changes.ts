import { LedgerEvent, PartnerEvent } from '@rtp/contracts';
import { PaymentStatus } from '@rtp/gateway/application';

/**
 * How far along its lifecycle a status is: a payout's status only moves to a higher rank, whatever
 * order its events arrive in (the ledger's and the partner adapter's come on two topics, so a
 * `PayoutSubmitted` may be read after the `PayoutSettled` that followed it).
 */
export const PAYOUT_STATUS_RANK: Record<PaymentStatus, number> = {
  processing: 0,
  pending: 1,
  completed: 2,
  failed: 2,
  rejected: 2,
  returned: 3,
};

/** The payout's row as an event creates it, when the gateway did not store it first. */
export interface PayoutCreation {
  clientId: string;
  accountId: string;
  amountMinor: string;
  currency: string;
  reference: string | null;
  partnerId: string;
  beneficiary: { iban: string; name: string } | null;
  endToEndId: string | null;
}

export interface PayoutStatusChange {
  status: PaymentStatus;
  failureCode: string | null;
  at: Date;
}

/** What one event, or several events of one payout merged, write into its rows. */
export interface PayoutChange {
  paymentId: string;
  creation: PayoutCreation | null;
  /** The highest-ranked status among the events. */
  status: PayoutStatusChange | null;
  /** Every status the events reached, each once (the earliest time). */
  history: PayoutStatusChange[];
  decided: boolean;
  bankReference: string | null;
  escalatedAt: Date | null;
}

function change(paymentId: string, fields: Partial<PayoutChange>): PayoutChange {
  const base: PayoutChange = {
    paymentId,
    creation: null,
    status: null,
    history: [],
    decided: false,
    bankReference: null,
    escalatedAt: null,
  };
  const merged = { ...base, ...fields };
  return { ...merged, history: merged.status ? [merged.status] : [] };
}

/** What a ledger event does to its payout's rows; null for an event about no payout. */
export function payoutChangeOfLedgerEvent(event: LedgerEvent, at: Date): PayoutChange | null {
  const reached = (status: PaymentStatus, failureCode: string | null = null) => ({
    status,
    failureCode,
    at,
  });
  switch (event.type) {
    case 'PayoutReserved':
    case 'PayoutRejected': {
      const d = event.data;
      const reserved = event.type === 'PayoutReserved';
      const creation: PayoutCreation = {
        clientId: d.initiatedBy,
        accountId: d.accountId,
        amountMinor: d.amountMinor,
        currency: d.currency,
        reference: event.data.reference ?? null,
        partnerId: d.partnerId,
        beneficiary: reserved ? (event.data.beneficiary ?? null) : null,
        endToEndId: reserved ? (event.data.endToEndId ?? null) : null,
      };
      const status = reserved ? reached('processing') : reached('rejected', event.data.failureCode);
      return change(d.paymentId, { creation, status, decided: true });
    }
    case 'PayoutSettled':
      return change(event.data.paymentId, {
        status: reached('completed'),
        bankReference: event.data.partnerReference,
      });
    case 'PayoutReleased':
      return change(event.data.paymentId, {
        status: reached('failed', event.data.reasonCode),
      });
    case 'PayoutReturned':
      return change(event.data.paymentId, {
        status: reached('returned', event.data.reasonCode),
      });
    default:
      return null;
  }
}

/** What the partner adapter's event does to its payout's rows; null for one about no payout. */
export function payoutChangeOfPartnerEvent(event: PartnerEvent, at: Date): PayoutChange | null {
  switch (event.type) {
    case 'PayoutSubmitted':
      return change(event.data.paymentId, {
        status: { status: 'pending', failureCode: null, at },
      });
    case 'PayoutAcceptedByBank':
    case 'PayoutBookedByBank':
      return change(event.data.paymentId, { bankReference: event.data.bankTransferId });
    case 'PayoutEscalated':
      return change(event.data.paymentId, { escalatedAt: at });
    default:
      // The outcome (booked, rejected, returned) is told by the ledger's event that follows it.
      return null;
  }
}

/** Two changes of one payout as one: what writing `earlier` then `next` leaves. */
export function mergePayoutChanges(earlier: PayoutChange, next: PayoutChange): PayoutChange {
  const rank = (value: PayoutStatusChange | null) =>
    value === null ? -1 : PAYOUT_STATUS_RANK[value.status];
  const history = [...earlier.history];
  for (const entry of next.history) {
    if (!history.some((seen) => seen.status === entry.status)) history.push(entry);
  }
  return {
    paymentId: earlier.paymentId,
    creation: earlier.creation ?? next.creation,
    status: rank(next.status) > rank(earlier.status) ? next.status : earlier.status,
    history,
    decided: earlier.decided || next.decided,
    bankReference: next.bankReference ?? earlier.bankReference,
    escalatedAt: earlier.escalatedAt ?? next.escalatedAt,
  };
}
