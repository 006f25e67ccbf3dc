import { FreezeMode } from '@rtp/contracts';

export type AccountKind = 'customer' | 'transit' | 'settlement' | 'adjustment';
export type AccountStatus = 'active' | 'closed';
export type FreezeState = 'none' | FreezeMode;

/**
 * One account as its single writer sees it. Balances are a cache of the journal entries:
 * `postedMinor` is the sum of the account's entries (credits positive), `pendingMinor` the sum of its
 * open holds (reserved for payouts, not yet posted).
 */
export interface AccountState {
  accountId: string;
  currency: string;
  kind: AccountKind;
  status: AccountStatus;
  freeze: FreezeState;
  postedMinor: bigint;
  pendingMinor: bigint;
  /** How far below zero available may go; null means unbounded (system accounts only). */
  overdraftLimitMinor: bigint | null;
  /** The largest single debit; null means no limit. */
  perDebitLimitMinor: bigint | null;
  /** Open holds by payment id. */
  holds: Map<string, Hold>;
  /** Sequence of the account's last event; the next event gets sequence + 1. */
  sequence: number;
  /** Hash of the account's last event: the head of its tamper-evident chain. */
  lastHash: string;
}

export interface Hold {
  amountMinor: bigint;
  partnerId: string;
}

export function availableMinor(account: AccountState): bigint {
  return account.postedMinor - account.pendingMinor;
}

export function debitsBlocked(account: AccountState): boolean {
  return account.freeze === 'debits' || account.freeze === 'all';
}

export function creditsBlocked(account: AccountState): boolean {
  return account.freeze === 'credits' || account.freeze === 'all';
}

/** Adds a freeze mode to the current one: debits + credits is all. */
export function addFreeze(current: FreezeState, mode: FreezeMode): FreezeState {
  if (current === 'none') return mode;
  if (current === mode || current === 'all') return current;
  return 'all';
}

/** Lifts a freeze mode: all minus debits is credits. */
export function removeFreeze(current: FreezeState, mode: FreezeMode): FreezeState {
  if (mode === 'all' || current === 'none' || current === mode) return 'none';
  if (current === 'all') return mode === 'debits' ? 'credits' : 'debits';
  return current;
}

/**
 * System accounts are sharded by partition so that each shard has exactly one writer: the
 * partition's owner. The money in flight is the sum of a currency's transit shards.
 */
export const systemAccountIds = {
  transit: (currency: string, partition: number) => `transit:${currency}:p${partition}`,
  settlement: (partnerId: string, currency: string, partition: number) =>
    `settlement:${partnerId}:${currency}:p${partition}`,
  adjustment: (currency: string, partition: number) => `adjustment:${currency}:p${partition}`,
};

export function newSystemAccount(
  accountId: string,
  kind: AccountKind,
  currency: string,
): AccountState {
  return {
    accountId,
    currency,
    kind,
    status: 'active',
    freeze: 'none',
    postedMinor: 0n,
    pendingMinor: 0n,
    overdraftLimitMinor: null,
    perDebitLimitMinor: null,
    holds: new Map(),
    sequence: 0,
    lastHash: '',
  };
}
