import { LedgerCommandData, LedgerRejectionCode, currencyExponent } from '@rtp/contracts';
import { AccountState, addFreeze, removeFreeze } from './account';
import { AccountLookup, Decision, DecidedEventData, eventDecision } from './decision';

function rejected(
  accountId: string,
  commandType: string,
  failureCode: LedgerRejectionCode,
  paymentId: string | null = null,
): Decision {
  return eventDecision(accountId, 'AccountCommandRejected', {
    accountId,
    commandType,
    paymentId,
    failureCode,
  });
}

export function decideOpenAccount(
  data: LedgerCommandData<'OpenAccount'>,
  accounts: AccountLookup,
): Decision {
  if (accounts.find(data.accountId)) {
    return eventDecision(data.accountId, 'AccountOpenRejected', {
      accountId: data.accountId,
      ownerId: data.ownerId,
      failureCode: 'account_already_exists',
    });
  }
  const opened: AccountState = {
    accountId: data.accountId,
    currency: data.currency,
    kind: 'customer',
    status: 'active',
    freeze: 'none',
    postedMinor: 0n,
    pendingMinor: 0n,
    overdraftLimitMinor: BigInt(data.overdraftLimitMinor ?? '0'),
    perDebitLimitMinor:
      data.perDebitLimitMinor === undefined ? null : BigInt(data.perDebitLimitMinor),
    holds: new Map(),
    sequence: 0,
    lastHash: '',
  };
  const event: DecidedEventData<'AccountOpened'> = {
    accountId: data.accountId,
    currency: data.currency,
    ownerId: data.ownerId,
    name: data.name,
    metadata: data.metadata,
    status: 'active',
    currencyExponent: currencyExponent(data.currency),
    overdraftLimitMinor: opened.overdraftLimitMinor!.toString(),
    perDebitLimitMinor: opened.perDebitLimitMinor?.toString() ?? null,
    virtualIban: data.virtualIban ?? null,
  };
  return { ...eventDecision(data.accountId, 'AccountOpened', event), opened };
}

export function decideFreeze(
  data: LedgerCommandData<'FreezeAccount'>,
  accounts: AccountLookup,
  type: 'FreezeAccount' | 'UnfreezeAccount',
): Decision {
  const account = accounts.find(data.accountId);
  if (!account) return rejected(data.accountId, type, 'account_not_found');
  if (account.status === 'closed') return rejected(data.accountId, type, 'account_closed');
  const freeze =
    type === 'FreezeAccount'
      ? addFreeze(account.freeze, data.mode)
      : removeFreeze(account.freeze, data.mode);
  const eventType = type === 'FreezeAccount' ? 'AccountFrozen' : 'AccountUnfrozen';
  return {
    ...eventDecision(data.accountId, eventType, { ...data, freeze }),
    accountChanges: [{ accountId: data.accountId, freeze }],
  };
}

/** Only an empty account closes: zero posted balance and no open holds. */
export function decideClose(
  data: LedgerCommandData<'CloseAccount'>,
  accounts: AccountLookup,
): Decision {
  const account = accounts.find(data.accountId);
  if (!account) return rejected(data.accountId, 'CloseAccount', 'account_not_found');
  if (account.status === 'closed')
    return rejected(data.accountId, 'CloseAccount', 'account_closed');
  if (account.postedMinor !== 0n || account.holds.size > 0) {
    return rejected(data.accountId, 'CloseAccount', 'account_not_empty');
  }
  return {
    ...eventDecision(data.accountId, 'AccountClosed', data),
    accountChanges: [{ accountId: data.accountId, status: 'closed' }],
  };
}

export { rejected as accountCommandRejected };
