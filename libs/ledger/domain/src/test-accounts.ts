import { AccountState, newSystemAccount } from './account';
import { AccountLookup, SettledPayout } from './decision';

/** Builders for deciders' unit tests. */
export function customer(
  accountId: string,
  postedMinor: bigint,
  overrides: Partial<AccountState> = {},
): AccountState {
  return {
    accountId,
    currency: 'EUR',
    kind: 'customer',
    status: 'active',
    freeze: 'none',
    postedMinor,
    pendingMinor: 0n,
    overdraftLimitMinor: 0n,
    perDebitLimitMinor: null,
    holds: new Map(),
    sequence: 1,
    lastHash: '',
    ...overrides,
  };
}

export function lookupOf(
  ...accounts: AccountState[]
): AccountLookup & { all: Map<string, AccountState>; settled: Map<string, SettledPayout> } {
  const all = new Map(accounts.map((account) => [account.accountId, account]));
  const settled = new Map<string, SettledPayout>();
  return {
    all,
    settled,
    find: (id) => all.get(id),
    settledPayout: (paymentId) => settled.get(paymentId),
    system: (id, kind, currency) => {
      const existing = all.get(id) ?? newSystemAccount(id, kind, currency);
      all.set(id, existing);
      return existing;
    },
  };
}
