export type AccountKind = 'customer' | 'transit' | 'settlement';
export type AccountStatus = 'active' | 'frozen' | 'closed';

/**
 * One account as its single writer sees it. Balances are a cache of the journal entries:
 * `postedMinor` is the sum of the account's entries (credits positive), `pendingMinor` the held debits.
 */
export interface AccountState {
  accountId: string;
  currency: string;
  kind: AccountKind;
  status: AccountStatus;
  postedMinor: bigint;
  pendingMinor: bigint;
  /** How far below zero available may go; null means unbounded (system accounts only). */
  overdraftLimitMinor: bigint | null;
  /** Sequence of the account's last event; the next event gets sequence + 1. */
  sequence: number;
}

export function availableMinor(account: AccountState): bigint {
  return account.postedMinor - account.pendingMinor;
}

/**
 * System accounts are sharded by partition so that each shard has exactly one writer: the
 * partition's owner. The money in flight is the sum of a currency's transit shards.
 */
export const systemAccountIds = {
  transit: (currency: string, partition: number) => `transit:${currency}:p${partition}`,
  settlement: (partnerId: string, currency: string, partition: number) =>
    `settlement:${partnerId}:${currency}:p${partition}`,
};

export function newSystemAccount(accountId: string, kind: AccountKind, currency: string): AccountState {
  return {
    accountId,
    currency,
    kind,
    status: 'active',
    postedMinor: 0n,
    pendingMinor: 0n,
    overdraftLimitMinor: null,
    sequence: 0,
  };
}
