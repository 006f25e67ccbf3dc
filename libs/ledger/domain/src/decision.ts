import {
  LedgerCommand,
  LedgerEventData,
  LedgerEventType,
  LedgerRejectionCode,
} from '@rtp/contracts';
import {
  AccountKind,
  AccountState,
  AccountStatus,
  FreezeState,
  creditsBlocked,
  debitsBlocked,
} from './account';
import { Journal } from './invariants';

/** A payout whose hold was settled (posted to the partner's settlement shard): it may be returned. */
export interface SettledPayout {
  paymentId: string;
  accountId: string;
  amountMinor: bigint;
  currency: string;
  partnerId: string;
}

/** The accounts a decision may read; system accounts are created on first use by their owner. */
export interface AccountLookup {
  find(accountId: string): AccountState | undefined;
  system(accountId: string, kind: AccountKind, currency: string): AccountState;
  /**
   * The settled payout of this id, if any. Loaded per batch only for the batch's returns (settled
   * holds are not kept in memory: an account's history of payouts grows without bound).
   */
  settledPayout(paymentId: string): SettledPayout | undefined;
}

export interface DecisionContext {
  partition: number;
}

/**
 * What the writer adds to a decided event as it records it: the event's position in its account's
 * stream and, on a money-moving event, the account's balance once the decision is applied.
 */
export type StampedField = 'accountSequence' | 'balance';

/** An event's data as its decider builds it: the contract's type without the stamped fields. */
export type DecidedEventData<K extends LedgerEventType> = Omit<LedgerEventData<K>, StampedField>;

/** A decided event, typed by the contract of its type (a discriminated union on `type`). */
export type DecidedEvent = {
  [K in LedgerEventType]: {
    /** The account whose stream records the event (and whose partition it is published on). */
    streamId: string;
    type: K;
    data: DecidedEventData<K>;
  };
}[LedgerEventType];

/** A command the decision sends on (the second leg of a transfer, or its refund). */
export type FollowUpCommand = Extract<
  LedgerCommand,
  { type: 'CreditTransfer' | 'RefundTransfer' }
> & { id: string; key: string };

export type HoldChange =
  | {
      kind: 'placed';
      holdId: string;
      accountId: string;
      amountMinor: bigint;
      currency: string;
      partnerId: string;
    }
  | { kind: 'settled' | 'released'; holdId: string; accountId: string };

export interface AccountChange {
  accountId: string;
  status?: AccountStatus;
  freeze?: FreezeState;
}

export interface Decision {
  events: DecidedEvent[];
  journal: Journal | null;
  opened: AccountState | null;
  holds: HoldChange[];
  accountChanges: AccountChange[];
  followUps: FollowUpCommand[];
}

export const nothing = (): Decision => ({
  events: [],
  journal: null,
  opened: null,
  holds: [],
  accountChanges: [],
  followUps: [],
});

export function eventDecision<K extends LedgerEventType>(
  streamId: string,
  type: K,
  data: DecidedEventData<K>,
): Decision {
  // TypeScript cannot correlate K with its member of the union; the signature above is the check.
  const event = { streamId, type, data: { ...data } } as DecidedEvent;
  return { ...nothing(), events: [event] };
}

export type Direction = 'debit' | 'credit';

/** Why an account cannot take part in a movement in this direction, or null when it can. */
export function refusal(
  account: AccountState | undefined,
  currency: string,
  direction: Direction,
): LedgerRejectionCode | null {
  if (!account) return 'account_not_found';
  if (account.status === 'closed') return 'account_closed';
  if (direction === 'debit' ? debitsBlocked(account) : creditsBlocked(account))
    return 'account_frozen';
  if (account.currency !== currency) return 'currency_mismatch';
  return null;
}

/** The events by which a command is refused: each is the one its clients wait for. */
export const REJECTION_EVENT_TYPES = [
  'AccountCommandRejected',
  'AccountOpenRejected',
  'DepositRejected',
  'TransferRejected',
  'PayoutRejected',
] as const satisfies readonly LedgerEventType[];
export type RejectionEvent = Extract<
  DecidedEvent,
  { type: (typeof REJECTION_EVENT_TYPES)[number] }
>;

function isRejection(event: DecidedEvent): event is RejectionEvent {
  return (REJECTION_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** A decision's refusal as a typed value: the code of its rejection event, or null if it applies. */
export function rejectionOf(decision: Decision): LedgerRejectionCode | null {
  const rejection = decision.events.find(isRejection);
  return rejection ? rejection.data.failureCode : null;
}
