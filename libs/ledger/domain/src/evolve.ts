import { LedgerEvent, LedgerEventData } from '@rtp/contracts';
import { AccountState, availableMinor } from './account';
import { InvariantViolation } from './invariants';

/**
 * Folds one event of an account's stream into the account's state (Emmett's `evolve`): pure, the
 * state given is left as it is. `null` is the state before the stream's first event. An event outside
 * every stream (a refusal about an account that does not exist: it has no sequence) changes nothing.
 * What must never happen in a stream (a gap, a second opening, a hold closed that was not placed, a
 * balance in the event that the fold disagrees with) is an InvariantViolation. The head of the hash
 * chain (`lastHash`) is the stored row's, not the event's: `rebuildAccount` links it.
 */
export function evolve(state: AccountState | null, event: LedgerEvent): AccountState | null {
  const sequence = event.data.accountSequence;
  if (sequence === null) return state;
  if (event.type === 'AccountOpened') {
    if (state || sequence !== 1) {
      throw new InvariantViolation(
        'StreamOpensOnce',
        `${event.data.accountId} opened at ${sequence}`,
      );
    }
    return balanceChecked(opened(event.data), event);
  }
  if (!state) {
    throw new InvariantViolation('StreamStartsOpened', `${event.type} ${sequence} before opening`);
  }
  if (sequence !== state.sequence + 1) {
    throw new InvariantViolation(
      'StreamHasNoGaps',
      `${state.accountId}: event ${sequence} after ${state.sequence}`,
    );
  }
  const next: AccountState = { ...state, holds: new Map(state.holds), sequence };
  applyEvent(next, event);
  return balanceChecked(next, event);
}

function opened(data: LedgerEventData<'AccountOpened'>): AccountState {
  return {
    accountId: data.accountId,
    currency: data.currency,
    kind: 'customer',
    status: data.status,
    freeze: 'none',
    postedMinor: 0n,
    pendingMinor: 0n,
    overdraftLimitMinor: BigInt(data.overdraftLimitMinor),
    perDebitLimitMinor: data.perDebitLimitMinor === null ? null : BigInt(data.perDebitLimitMinor),
    holds: new Map(),
    sequence: data.accountSequence,
    lastHash: '',
  };
}

/** Changes `account` (a copy made by evolve) by one event after its opening. */
function applyEvent(account: AccountState, event: LedgerEvent): void {
  switch (event.type) {
    case 'AccountFrozen':
    case 'AccountUnfrozen':
      account.freeze = event.data.freeze;
      return;
    case 'AccountClosed':
      account.status = 'closed';
      return;
    case 'DepositCompleted':
    case 'TransferCompleted':
    case 'TransferRefunded':
    case 'AccountAdjusted':
    case 'PayoutReturned':
      account.postedMinor += BigInt(event.data.amountMinor);
      return;
    case 'TransferDebited':
      account.postedMinor -= BigInt(event.data.amountMinor);
      return;
    case 'PayoutReserved':
      placeHold(account, event.data);
      return;
    case 'PayoutSettled':
      account.postedMinor -= closeHold(account, event.data);
      return;
    case 'PayoutReleased':
      closeHold(account, event.data);
      return;
    case 'AccountCommandRejected':
    case 'AccountOpenRejected':
    case 'DepositRejected':
    case 'TransferRejected':
    case 'PayoutRejected':
    case 'PartnerDifferenceBooked':
      // A refusal (or a journal between system shards about this account's payout) takes its
      // place in the stream and changes nothing else.
      return;
    case 'AccountOpened':
      throw new InvariantViolation('StreamOpensOnce', `${account.accountId} opened again`);
    default:
      return unknownEvent(event);
  }
}

function unknownEvent(event: never): never {
  throw new InvariantViolation('EventTypeIsKnown', `cannot fold ${JSON.stringify(event)}`);
}

function placeHold(account: AccountState, data: LedgerEventData<'PayoutReserved'>): void {
  if (account.holds.has(data.paymentId)) {
    throw new InvariantViolation('HoldPlacedOnce', `${account.accountId}: ${data.paymentId}`);
  }
  const amountMinor = BigInt(data.amountMinor);
  account.holds.set(data.paymentId, { amountMinor, partnerId: data.partnerId });
  account.pendingMinor += amountMinor;
}

/** Closes the payout's hold, which must be open for the amount the event names; returns it. */
function closeHold(
  account: AccountState,
  data: LedgerEventData<'PayoutSettled' | 'PayoutReleased'>,
): bigint {
  const hold = account.holds.get(data.paymentId);
  const amountMinor = BigInt(data.amountMinor);
  if (!hold || hold.amountMinor !== amountMinor || hold.partnerId !== data.partnerId) {
    throw new InvariantViolation(
      'HoldClosesAsPlaced',
      `${account.accountId}: ${data.paymentId} for ${amountMinor} with ${data.partnerId}`,
    );
  }
  account.holds.delete(data.paymentId);
  account.pendingMinor -= amountMinor;
  return amountMinor;
}

/** A money-moving event tells the balance after it: the fold must arrive at the same. */
function balanceChecked(account: AccountState, event: LedgerEvent): AccountState {
  if (!('balance' in event.data)) return account;
  const { balance } = event.data;
  const folded = {
    postedMinor: account.postedMinor.toString(),
    pendingMinor: account.pendingMinor.toString(),
    availableMinor: availableMinor(account).toString(),
  };
  if (
    balance.postedMinor !== folded.postedMinor ||
    balance.pendingMinor !== folded.pendingMinor ||
    balance.availableMinor !== folded.availableMinor
  ) {
    throw new InvariantViolation(
      'EventBalanceMatchesStream',
      `${account.accountId} event ${account.sequence} tells ${JSON.stringify(balance)}, ` +
        `its stream folds to ${JSON.stringify(folded)}`,
    );
  }
  return account;
}
