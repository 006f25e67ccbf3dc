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
  postedMinor: string;
  pendingMinor: string;
  /** Position of the last ledger event applied to this account. */
  lastSequence: number;
  createdAt: Date;
}

export interface PaymentView {
  id: string;
  kind: 'transfer' | 'deposit';
  /** The client that initiated the payment (`admin` for operators); not necessarily an owner. */
  clientId: string;
  sourceAccountId: string | null;
  destinationAccountId: string;
  amountMinor: string;
  currency: string;
  status: 'processing' | 'completed' | 'rejected';
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
