/**
 * The two sides the reconciler compares: our records of money moving at a partner bank (folded
 * from the ledger's and the partner adapter's events) and the bank statement's lines (one per
 * transaction of a booked entry, so a batch entry is several lines).
 */
export type RecordKind = 'payout' | 'deposit';
export type RecordStatus = 'processing' | 'pending' | 'completed' | 'failed' | 'returned';
export type CreditDebit = 'CRDT' | 'DBIT';

/** A status only moves up this order (events of two topics arrive in any order). */
export const STATUS_RANK: Readonly<Record<RecordStatus, number>> = {
  processing: 1,
  pending: 2,
  completed: 3,
  failed: 3,
  returned: 4,
};

export interface LedgerRecord {
  kind: RecordKind;
  /** The payment id of a payout, the deposit id of a deposit. */
  recordId: string;
  accountId: string;
  partnerId: string;
  creditDebit: CreditDebit;
  amountMinor: bigint;
  currency: string;
  status: RecordStatus;
  /** Our reference the bank echoes: a payout's end-to-end id. */
  endToEndId: string | null;
  /** The bank's id of an inbound credit (a deposit's id is `bank:<partner>:<transaction id>`). */
  bankTransactionId: string | null;
  /** The day our side says the money moved (settled, deposited), YYYY-MM-DD; null while open. */
  date: string | null;
  /**
   * Whether an earlier run saw it on a statement (matched it, or opened an exception with its
   * lines): it is then not missing at the bank.
   */
  matchedBefore: boolean;
}

export interface BankLine {
  /** `<statementId>/<entryReference>/<transaction index>`: unique across statements. */
  lineId: string;
  /**
   * `<account IBAN>:<currency>/<entryReference>/<transaction index>`: the same bank entry in
   * every file of the statement. The bank's export differs each time it is fetched (its message
   * id and creation time), so the statement id does too; what was found of an entry is keyed by
   * this, so fetching the day again finds the same exceptions and the same run.
   */
  lineKey: string;
  statementId: string;
  entryReference: string;
  transactionIndex: number;
  /** How many transactions the entry holds (more than one: a batch entry, matched 1:N). */
  transactionCount: number;
  creditDebit: CreditDebit;
  amountMinor: bigint;
  currency: string;
  bookingDate: string;
  reversal: boolean;
  endToEndId: string | null;
  transactionId: string | null;
  reasonCode: string | null;
}

export const lineIdOf = (statementId: string, entryReference: string, index: number) =>
  `${statementId}/${entryReference}/${index}`;

export const lineKeyOf = (
  accountIban: string,
  currency: string,
  entryReference: string,
  index: number,
) => `${accountIban}:${currency}/${entryReference}/${index}`;

/** `bank:<partner>:<transaction id>`: the id the partner adapter gives a deposit. */
export function depositTransactionId(depositId: string, partnerId: string): string | null {
  const prefix = `bank:${partnerId}:`;
  return depositId.startsWith(prefix) ? depositId.slice(prefix.length) : null;
}

/** Days from `from` to `to` (YYYY-MM-DD, UTC). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function shiftDay(date: string, days: number): string {
  const shifted = new Date(`${date}T00:00:00Z`);
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return shifted.toISOString().slice(0, 10);
}
