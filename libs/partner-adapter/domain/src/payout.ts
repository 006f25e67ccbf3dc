/** A payout as the adapter tracks it, one per payment id, from PayoutReserved to the bank's word. */
export const PAYOUT_STATES = [
  /** Waiting for its turn (per account, in reservation order) or for an open breaker to close. */
  'queued',
  /** A create request is on its way; a lease (nextCheckAt) covers a crash during it. */
  'submitting',
  /** Sent; the bank accepted it, or its answer was lost: funds held, the bank is asked. */
  'pending',
  'booked',
  'rejected',
  'returned',
  /** Still pending past the deadline: listed for review; the bank's word still decides. */
  'escalated',
] as const;
export type PayoutState = (typeof PAYOUT_STATES)[number];

/** States in which the bank's final word is still awaited (the funds stay held). */
export const AWAITING_BANK: readonly PayoutState[] = [
  'queued',
  'submitting',
  'pending',
  'escalated',
];

export interface Beneficiary {
  iban: string;
  name: string;
}

export interface Payout {
  paymentId: string;
  accountId: string;
  partnerId: string;
  amountMinor: string;
  currency: string;
  beneficiary: Beneficiary;
  endToEndId: string;
  reference: string | null;
  state: PayoutState;
  bankTransferId: string | null;
  /** Create requests sent (each under the same idempotency key, the payment id). */
  submissions: number;
  /** Status queries since the last submission or acceptance. */
  checks: number;
  /** When the checker looks at it next (status query, or the lease of a submission). */
  nextCheckAt: Date | null;
  /** When a queued payout may be sent (a refused connection waits before the next try). */
  nextSendAt: Date;
  /** Past it a payout still awaiting the bank is escalated. */
  deadlineAt: Date;
  reservedAt: Date;
  /** Until when a booked payout is still polled for a return. */
  returnWatchUntil: Date | null;
  /**
   * When it was escalated (past the deadline without the bank's word), once. A queued payout is
   * escalated too and stays queued, so that it is still sent when the breaker closes.
   */
  escalatedAt: Date | null;
  /**
   * The W3C trace context of the reservation (the client's request): every call to the bank and
   * every message about the payout continue that trace.
   */
  traceparent?: string | null;
}

/** Whether the payout was escalated already (it is escalated once). */
export function isEscalated(payout: Payout): boolean {
  return payout.escalatedAt !== null || payout.state === 'escalated';
}

/** The state of a payout sent and still awaiting the bank: escalated stays escalated. */
export function awaitingState(payout: Payout): 'pending' | 'escalated' {
  return isEscalated(payout) ? 'escalated' : 'pending';
}

/** The ledger's reason code for a bank refusal, snake_case: `bank_rejected_ac01`. */
export function bankRejectionReason(isoCode: string): string {
  return `bank_rejected_${isoCode.toLowerCase()}`;
}

/** The ledger's reason code for a bank return, snake_case: `bank_returned_ac04`. */
export function bankReturnReason(isoCode: string): string {
  return `bank_returned_${isoCode.toLowerCase()}`;
}
