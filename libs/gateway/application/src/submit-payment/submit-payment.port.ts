import { ClaimResult, IdempotencyClaim } from '../ports/idempotency';
import { OutgoingCommand } from '../ports/outgoing-command';
import { AccountView, PaymentRecord, PaymentView, PayoutDetails } from '../ports/views';

/**
 * What accepting a payment needs to know of an account, read from an in-process cache. The client
 * and currency never change. The status is one the ledger has settled (an account still `opening`
 * is never cached); whether it is frozen or closed may lag, which is harmless: the ledger decides.
 * The owner's consent is kept current by notifications, and a consent that lets a payment
 * through is confirmed again in the transaction that accepts it.
 */
export type AccountFacts = Pick<
  AccountView,
  'id' | 'clientId' | 'currency' | 'status' | 'acceptsCreditsFromOtherClients'
>;

export interface AccountFactsReader {
  accountFacts(accountId: string): Promise<AccountFacts | null>;
}

export interface PaymentAcceptRequest {
  claim: IdempotencyClaim;
  payment: PaymentView;
  command: OutgoingCommand;
  /**
   * For a credit to another client's account: the account whose owner must still accept credits
   * from other clients when the payment is accepted.
   */
  creditConsent: { accountId: string; ownerClientId: string } | null;
  /** A payout's details, stored in the same transaction as its payment; null otherwise. */
  payout?: Pick<PayoutDetails, 'partnerId' | 'beneficiary' | 'endToEndId'> | null;
}

export type AcceptResult =
  | ClaimResult
  /** The destination's owner no longer accepts credits from other clients; nothing was stored. */
  | { claimed: false; inFlight: false; creditRefused: true }
  /** Too many requests wait to be accepted already; nothing was stored (safe to retry). */
  | { claimed: false; inFlight: false; unavailable: true };

export interface PaymentAcceptance {
  /**
   * Claims the idempotency key and, only if it was free (and the credit consent, if any, holds),
   * records the payment and queues its command, in one transaction shared with the requests that
   * arrive at about the same time. Resolves once committed and handed to the broker, or once the
   * short wait for the broker is over: the command is durable either way. A concurrent claim of
   * the same key answers `inFlight` at once.
   */
  acceptPayment(request: PaymentAcceptRequest): Promise<AcceptResult>;
}

/** Reads a payment back from the primary: what a request just accepted is certainly there. */
export interface PaymentStore {
  findPayment(paymentId: string): Promise<PaymentRecord | null>;
}
