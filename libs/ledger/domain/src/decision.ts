import { LedgerCommandType, LedgerEventType, LedgerRejectionCode } from '@rtp/contracts';
import {
  AccountKind,
  AccountState,
  AccountStatus,
  FreezeState,
  creditsBlocked,
  debitsBlocked,
} from './account';
import { Journal } from './invariants';

/** The accounts a decision may read; system accounts are created on first use by their owner. */
export interface AccountLookup {
  find(accountId: string): AccountState | undefined;
  system(accountId: string, kind: AccountKind, currency: string): AccountState;
}

export interface DecisionContext {
  partition: number;
}

export interface DecidedEvent {
  /** The account whose stream records the event (and whose partition it is published on). */
  streamId: string;
  type: LedgerEventType;
  data: Record<string, unknown>;
  /** Money-moving events carry the stream account's balance after the decision is applied. */
  withBalance: boolean;
}

export interface FollowUpCommand {
  id: string;
  type: LedgerCommandType;
  key: string;
  data: Record<string, unknown>;
}

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

export function eventDecision(
  streamId: string,
  type: LedgerEventType,
  data: object,
  withBalance = false,
): Decision {
  return { ...nothing(), events: [{ streamId, type, data: { ...data }, withBalance }] };
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
