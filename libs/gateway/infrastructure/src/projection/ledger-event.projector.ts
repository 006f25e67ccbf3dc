import { LedgerEvent } from '@rtp/contracts';
import { ActionOutcome, actionOutcomeOf } from './account-action.projector';
import {
  AccountChange,
  AccountOpenRejection,
  AccountOpening,
  accountChangeOf,
  accountIdOf,
  accountOpenRejectionOf,
  accountOpeningOf,
  mergeAccountChanges,
  mergeAccountOpenings,
} from './account-changes';
import { AccountEntry, accountEntryOf } from './account-entries.projector';
import { PaymentUpsert, mergePaymentUpserts, paymentUpsertOf } from './payment-changes';

/** A decoded ledger event with what its envelope adds. */
export interface ProjectedEvent {
  event: LedgerEvent;
  time: Date;
  causationId: string | null;
}

/** What one transaction writes into each read model, one entry per row. */
export interface ReadModelChanges {
  openings: AccountOpening[];
  openRejections: AccountOpenRejection[];
  /** Each with the account's state as its event left it, so they are written before `accounts`. */
  actionOutcomes: ActionOutcome[];
  accounts: AccountChange[];
  entries: AccountEntry[];
  /** One merged upsert per payment (the statement sorts them by id: the order of its locks). */
  payments: PaymentUpsert[];
  /** Accounts (any event of theirs) and freeze commands (their outcome), to wake their requests. */
  wokenIds: string[];
}

/**
 * Folds a transaction's events, in the order they were consumed, into one change per row: what
 * applying them one by one would leave, given that every write is idempotent and order-tolerant.
 * Balances move only forward in account sequence; a payment's status only leaves `processing`
 * once; an entry, an opening or an outcome already recorded stays as it is. Events of one payment
 * arrive on different partitions, so no order between them is assumed.
 */
export function projectLedgerEvents(events: readonly ProjectedEvent[]): ReadModelChanges {
  const openings = new Map<string, AccountOpening>();
  const openRejections = new Map<string, AccountOpenRejection>();
  const outcomes = new Map<string, ActionOutcome>();
  const accounts = new Map<string, AccountChange>();
  const entries = new Map<string, AccountEntry>();
  const payments = new Map<string, PaymentUpsert>();
  const woken = new Set<string>();
  for (const { event, time, causationId } of events) {
    const accountId = accountIdOf(event);
    woken.add(accountId);
    const opening = accountOpeningOf(event);
    if (opening) fold(openings, accountId, opening, mergeAccountOpenings);
    const openRejection = accountOpenRejectionOf(event);
    if (openRejection) fold(openRejections, accountId, openRejection, keepFirst);
    const change = accountChangeOf(event);
    if (change) fold(accounts, accountId, change, mergeAccountChanges);
    // After the event's own change: the outcome records the state this event left.
    const outcome = actionOutcomeOf(event, causationId, time, accounts.get(accountId) ?? null);
    if (outcome) {
      woken.add(outcome.commandId);
      fold(outcomes, outcome.commandId, outcome, keepFirst);
    }
    const entry = accountEntryOf(event, time);
    if (entry) fold(entries, JSON.stringify([entry.accountId, entry.sequence]), entry, keepFirst);
    const payment = paymentUpsertOf(event);
    if (payment) fold(payments, payment.paymentId, payment, mergePaymentUpserts);
  }
  return {
    openings: [...openings.values()],
    openRejections: [...openRejections.values()],
    actionOutcomes: [...outcomes.values()],
    accounts: [...accounts.values()],
    entries: [...entries.values()],
    payments: [...payments.values()],
    wokenIds: [...woken],
  };
}

/** Puts `value` under `key`, merged after what is there already. */
function fold<T>(
  rows: Map<string, T>,
  key: string,
  value: T,
  merge: (earlier: T, next: T) => T,
): void {
  const earlier = rows.get(key);
  rows.set(key, earlier === undefined ? value : merge(earlier, value));
}

/** For rows written once (`DO NOTHING`, or an update that only its first event passes). */
function keepFirst<T>(earlier: T): T {
  return earlier;
}
