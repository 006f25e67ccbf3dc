export interface AccountView {
  id: string;
  clientId: string;
  currency: string;
  name: string | null;
  metadata: Record<string, string> | null;
  status: 'opening' | 'active' | 'rejected' | 'frozen' | 'closed';
  freeze: 'none' | 'debits' | 'credits' | 'all';
  /**
   * The owner's consent to credits from other clients' accounts; without it the account answers
   * other clients like one that does not exist. A gateway setting, not projected from events.
   */
  acceptsCreditsFromOtherClients: boolean;
  failureCode: string | null;
  /** The IBAN at the partner bank that credits this account; null for accounts opened before. */
  virtualIban?: string | null;
  postedMinor: string;
  pendingMinor: string;
  /** Position of the last ledger event applied to this account. */
  lastSequence: number;
  createdAt: Date;
}

/**
 * A payment's status across the API. Transfers and deposits: processing -> completed | rejected.
 * Payouts: processing (funds held) -> pending (sent to the bank, not final) -> completed | failed
 * (the bank rejected it: funds released) | rejected (the ledger refused it) -> returned.
 */
export const PAYMENT_STATUSES = [
  'processing',
  'pending',
  'completed',
  'failed',
  'rejected',
  'returned',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface Beneficiary {
  iban: string;
  name: string;
  bic: string | null;
}

/** What a payout adds to a payment: whom it pays, through which partner, and as the bank saw it. */
export interface PayoutDetails {
  partnerId: string;
  beneficiary: Beneficiary;
  endToEndId: string;
  /** The bank's id for the transfer, once known. */
  bankReference: string | null;
  /** The ledger has decided (held the funds or refused): the request's wait ends. */
  decided: boolean;
  /** Still unknown past the adapter's deadline: listed for review, left to reconciliation. */
  escalated: boolean;
  /** Each status it reached, with when, oldest first. */
  history: { status: PaymentStatus; failureCode: string | null; at: Date }[];
}

export interface PaymentView {
  id: string;
  kind: 'transfer' | 'deposit' | 'payout';
  /** The client that initiated the payment (`admin` for operators); not necessarily an owner. */
  clientId: string;
  sourceAccountId: string | null;
  /** Null for a payout: its money leaves the platform for the beneficiary. */
  destinationAccountId: string | null;
  amountMinor: string;
  currency: string;
  status: PaymentStatus;
  failureCode: string | null;
  reference: string | null;
  metadata: Record<string, string> | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A payment as read back, with the owners of its accounts: they decide who may see what of it. */
export interface PaymentRecord extends PaymentView {
  /** Which leg refused a rejected transfer: the source's (`debit`) or destination's (`credit`). */
  failedLeg: 'debit' | 'credit' | null;
  sourceClientId: string | null;
  destinationClientId: string | null;
  /** Absent or null for anything but a payout. */
  payout?: PayoutDetails | null;
}

/** One page of a listing, newest first, and where the next begins (null after the last). */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** One change of an account's balance, with the balance after it. */
export interface AccountEntry {
  sequence: number;
  type: string;
  paymentId: string | null;
  postedChange: string;
  pendingChange: string;
  postedAfter: string;
  pendingAfter: string;
  occurredAt: string;
}
