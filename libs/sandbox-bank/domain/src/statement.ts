import { addMinor } from './money-text';

/** One booked movement of our settlement account, as the statement shows it. */
export interface StatementEntry {
  /** The bank's reference of the entry (camt.053 `AcctSvcrRef`). */
  entryReference: string;
  /** `transfer_reversed`: the credit that takes back a rejected transfer's debit (`RvslInd`). */
  kind: 'transfer_booked' | 'transfer_reversed' | 'transfer_returned' | 'credit_booked';
  creditDebit: 'CRDT' | 'DBIT';
  amountMinor: bigint;
  currency: string;
  /** YYYY-MM-DD, UTC. */
  bookingDate: string;
  valueDate: string;
  bookedAt: string;
  endToEndId: string;
  /** The transfer's or the inbound credit's id at the bank. */
  transactionId: string;
  counterpartyIban: string;
  counterpartyName: string;
  remittanceInformation: string | null;
  reasonCode: string | null;
}

/** The day's statement of one account in one currency. */
export interface Statement {
  id: string;
  accountIban: string;
  currency: string;
  date: string;
  createdAt: string;
  openingMinor: bigint;
  closingMinor: bigint;
  entries: StatementEntry[];
}

export const signedAmount = (entry: Pick<StatementEntry, 'creditDebit' | 'amountMinor'>) =>
  entry.creditDebit === 'CRDT' ? entry.amountMinor : -entry.amountMinor;

/**
 * The day's statements, one per currency that has an opening balance or an entry. The closing
 * balance is the opening plus the day's entries: a statement that does not add up is a bug.
 */
export function buildStatements(input: {
  accountIban: string;
  date: string;
  createdAt: string;
  openingByCurrency: ReadonlyMap<string, bigint>;
  entries: readonly StatementEntry[];
}): Statement[] {
  const currencies = new Set([...input.openingByCurrency.keys()]);
  for (const entry of input.entries) currencies.add(entry.currency);
  return [...currencies].sort().map((currency) => {
    const entries = input.entries
      .filter((entry) => entry.currency === currency)
      .sort(
        (a, b) =>
          a.bookedAt.localeCompare(b.bookedAt) || a.entryReference.localeCompare(b.entryReference),
      );
    const openingMinor = input.openingByCurrency.get(currency) ?? 0n;
    const closingMinor = entries.reduce(
      (sum, entry) => addMinor(sum, signedAmount(entry)),
      openingMinor,
    );
    return {
      id: `STMT-${input.date}-${currency}`,
      accountIban: input.accountIban,
      currency,
      date: input.date,
      createdAt: input.createdAt,
      openingMinor,
      closingMinor,
      entries,
    };
  });
}
