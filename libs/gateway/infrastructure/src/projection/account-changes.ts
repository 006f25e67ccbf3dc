import { LedgerEvent } from '@rtp/contracts';

/** A value an event set, with the event's account sequence: it applies only past the row's. */
export interface Sequenced<T> {
  value: T;
  sequence: number;
}

export type AccountStatus = 'active' | 'frozen' | 'closed';

/**
 * What a transaction's events did to one account row. Each column group keeps the value of the
 * event with the highest sequence that set it, and `sequence` is the highest of all: applied to a
 * row whose last sequence is below a group's, that group moves; below `sequence`, the row's
 * sequence moves. That is what applying the events one by one, each only past the row's sequence,
 * leaves behind.
 */
export interface AccountChange {
  accountId: string;
  sequence: number;
  balance: Sequenced<{ postedMinor: string; pendingMinor: string }> | null;
  status: Sequenced<AccountStatus> | null;
  freezeMode: Sequenced<string> | null;
}

/** The ledger opened the account: the row is created or completed (`opening` becomes `active`). */
export interface AccountOpening {
  accountId: string;
  clientId: string;
  currency: string;
  name: string | null;
  metadata: Record<string, string> | null;
  /** Null for accounts opened without one (before issue #10, or straight through the ledger). */
  virtualIban: string | null;
  sequence: number;
}

export interface AccountOpenRejection {
  accountId: string;
  failureCode: string;
}

/** The account an event is about; its waiting requests are woken by any event of it. */
export function accountIdOf(event: LedgerEvent): string {
  switch (event.type) {
    case 'TransferDebited':
    case 'TransferRejected':
    case 'TransferRefunded':
      return event.data.sourceAccountId;
    case 'TransferCompleted':
      return event.data.destinationAccountId;
    default:
      return event.data.accountId;
  }
}

function change(
  accountId: string,
  sequence: number,
  fields: Partial<AccountChange>,
): AccountChange {
  return { accountId, sequence, balance: null, status: null, freezeMode: null, ...fields };
}

/** How an event moves its account row's balances, status or sequence; null when it moves none. */
export function accountChangeOf(event: LedgerEvent): AccountChange | null {
  switch (event.type) {
    case 'DepositCompleted':
    case 'TransferDebited':
    case 'TransferCompleted':
    case 'TransferRefunded':
    case 'PayoutReserved':
    case 'PayoutSettled':
    case 'PayoutReleased':
    case 'PayoutReturned':
    case 'AccountAdjusted': {
      const { accountSequence: sequence, balance } = event.data;
      const value = { postedMinor: balance.postedMinor, pendingMinor: balance.pendingMinor };
      return change(accountIdOf(event), sequence, { balance: { value, sequence } });
    }
    case 'AccountFrozen':
    case 'AccountUnfrozen': {
      const { accountId, accountSequence: sequence, freeze } = event.data;
      const status = freeze === 'none' ? 'active' : 'frozen';
      return change(accountId, sequence, {
        status: { value: status, sequence },
        freezeMode: { value: freeze, sequence },
      });
    }
    case 'AccountClosed': {
      const { accountId, accountSequence: sequence } = event.data;
      return change(accountId, sequence, { status: { value: 'closed', sequence } });
    }
    case 'PayoutRejected':
    case 'AccountCommandRejected':
    case 'PartnerDifferenceBooked': {
      // The refusal (or a difference booked between system shards) still takes a place in the
      // account's stream: waiting requests see it move.
      const { accountId, accountSequence: sequence } = event.data;
      return sequence === null ? null : change(accountId, sequence, {});
    }
    default:
      // Opening events have statements of their own; rejected deposits and transfers move nothing.
      return null;
  }
}

function later<T>(earlier: Sequenced<T> | null, next: Sequenced<T> | null): Sequenced<T> | null {
  if (!earlier) return next;
  if (!next) return earlier;
  // A repeated sequence is a duplicate, which would not apply a second time.
  return next.sequence > earlier.sequence ? next : earlier;
}

/** Both changes of one account as one: per column group, the higher sequence wins. */
export function mergeAccountChanges(earlier: AccountChange, next: AccountChange): AccountChange {
  return {
    accountId: earlier.accountId,
    sequence: Math.max(earlier.sequence, next.sequence),
    balance: later(earlier.balance, next.balance),
    status: later(earlier.status, next.status),
    freezeMode: later(earlier.freezeMode, next.freezeMode),
  };
}

export function accountOpeningOf(event: LedgerEvent): AccountOpening | null {
  if (event.type !== 'AccountOpened') return null;
  const d = event.data;
  return {
    accountId: d.accountId,
    clientId: d.ownerId,
    currency: d.currency,
    name: d.name,
    metadata: d.metadata,
    virtualIban: d.virtualIban ?? null,
    sequence: d.accountSequence,
  };
}

/** A repeated opening (a duplicate event) only moves the row's sequence, if anything. */
export function mergeAccountOpenings(
  earlier: AccountOpening,
  next: AccountOpening,
): AccountOpening {
  return { ...earlier, sequence: Math.max(earlier.sequence, next.sequence) };
}

export function accountOpenRejectionOf(event: LedgerEvent): AccountOpenRejection | null {
  return event.type === 'AccountOpenRejected'
    ? { accountId: event.data.accountId, failureCode: event.data.failureCode }
    : null;
}
