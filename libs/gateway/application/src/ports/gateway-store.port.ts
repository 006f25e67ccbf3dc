import { Principal } from '@rtp/gateway/domain';

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

/** A command for the ledger, stored in the gateway's outbox in the same transaction as its cause. */
export interface OutgoingCommand {
  topic: string;
  key: string;
  messageId: string;
  messageType: string;
  payload: Record<string, unknown>;
}

export interface IdempotencyClaim {
  clientId: string;
  idempotencyKey: string;
  operation: string;
  fingerprint: string;
  expiresAt: Date;
}

export type ClaimResult =
  | { claimed: true }
  | { claimed: false; inFlight: true }
  | { claimed: false; inFlight: false; fingerprint: string; resourceId: string };

export interface GatewayStore {
  findPrincipalByKeyHash(keyHash: string): Promise<Principal | null>;
  createClient(input: {
    clientId: string;
    name: string;
    keyHash: string;
    keyPrefix: string;
  }): Promise<void>;
  findAccount(accountId: string): Promise<AccountView | null>;
  findPayment(paymentId: string): Promise<PaymentRecord | null>;
  /** Queues a command for the ledger (in the outbox, to be relayed). */
  queueCommand(command: OutgoingCommand): Promise<void>;
  /** Records the account as opening with its settings and queues OpenAccount, atomically. */
  openAccount(account: AccountView, command: OutgoingCommand): Promise<void>;
}

/** Publishes queued outbox commands now (a background relay retries whatever this misses). */
export interface CommandRelay {
  flush(): Promise<void>;
}

export interface WaitOptions {
  /**
   * Look at the read model before the first sleep: the change may have been made before the watch
   * began (a replayed request, or a command sent before watching).
   */
  lookFirst: boolean;
}

/**
 * A payment's terminal outcome as the projection told it, in the notification of the transaction
 * that stored it: what a read of the payment right after that commit would have found.
 */
export interface PaymentOutcome {
  status: 'completed' | 'rejected';
  failureCode: string | null;
  failedLeg: 'debit' | 'credit' | null;
  updatedAt: Date;
}

/** One request's watch over the read model of one resource, from `watch` until `close`. */
export interface OutcomeWatch {
  /** The payment outcome a notification told this watch, if one did (only terminal ones are). */
  told(): PaymentOutcome | null;
  /**
   * Resolves once `isSettled` answers true, or once `timeoutMs` is over (then right after a last
   * look). Looks only when told of a change (also one told after `watch` but before this call),
   * when changes may go untold (polling), at the end, and first too with `lookFirst`. A watch the
   * bound of watches per resource refused, or a `timeoutMs` of 0, resolves at once without looking.
   */
  wait(timeoutMs: number, isSettled: () => Promise<boolean>, options: WaitOptions): Promise<void>;
  close(): void;
}

/** Tells requests when the read model of a resource may have changed. */
export interface OutcomeNotifications {
  /** From now on, until closed, no change of `resourceId` goes unnoticed by the watch. */
  watch(resourceId: string): OutcomeWatch;
}
