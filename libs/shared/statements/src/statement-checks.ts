import { addChecked, signedMinor } from './amounts';
import { ParsedStatement, refuse } from './statement-file';

/** A statement with where each part was in the file, so that a refusal can name it. */
export interface LocatedStatement extends ParsedStatement {
  location: string;
  entryLocations: string[];
}

const ENTRIES_PER_FILE_MAX = 1_000_000;

/**
 * The checks no schema expresses: entry references unique in the file, entries in the
 * statement's currency, a batch's transactions adding up to its entry, and the entries adding up
 * from the opening balance to the closing one. Throws a `StatementRefusal` on the first failure.
 */
export function checkStatements(statements: LocatedStatement[]): ParsedStatement[] {
  if (statements.length === 0) refuse('empty', 'the file holds no statement', null);
  const seen = new Map<string, string>();
  let entryCount = 0;
  for (const statement of statements) {
    entryCount += statement.entries.length;
    if (entryCount > ENTRIES_PER_FILE_MAX) {
      refuse('too_large', `more than ${ENTRIES_PER_FILE_MAX} entries`, statement.location);
    }
    let running = statement.openingMinor;
    statement.entries.forEach((entry, index) => {
      const location = statement.entryLocations[index];
      const earlier = seen.get(entry.entryReference);
      if (earlier) {
        refuse(
          'duplicate_entry',
          `entry reference ${entry.entryReference} appears twice (first at ${earlier})`,
          location,
        );
      }
      seen.set(entry.entryReference, location);
      if (entry.currency !== statement.currency) {
        refuse(
          'currency_mismatch',
          `an entry in ${entry.currency} on the ${statement.currency} statement`,
          location,
        );
      }
      checkTransactionsTotal(entry, location);
      running = addChecked(
        running,
        signedMinor(entry.creditDebit, BigInt(entry.amountMinor)),
        location,
      );
    });
    if (running !== statement.closingMinor) {
      refuse(
        'balance_mismatch',
        `the opening balance ${statement.openingMinor} and the entries make ${running}, ` +
          `the closing balance says ${statement.closingMinor} (minor units)`,
        statement.location,
      );
    }
  }
  return statements.map(({ location: _l, entryLocations: _e, ...statement }) => statement);
}

function checkTransactionsTotal(entry: ParsedStatement['entries'][number], location: string) {
  let total = 0n;
  for (const transaction of entry.transactions) {
    total = addChecked(total, BigInt(transaction.amountMinor), location);
  }
  if (total !== BigInt(entry.amountMinor)) {
    refuse(
      'balance_mismatch',
      `the entry's transactions add up to ${total}, the entry says ${entry.amountMinor}`,
      location,
    );
  }
}
