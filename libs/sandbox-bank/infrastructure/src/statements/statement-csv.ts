import { stringify } from 'csv-stringify/sync';
import { currencyExponent } from '@rtp/contracts';
import { Statement, addMinor, minorToDecimal, signedAmount } from '@rtp/sandbox-bank/domain';

/** The CSV statement's columns, in order (the first row of every file). */
export const STATEMENT_CSV_COLUMNS = [
  'statementId',
  'accountIban',
  'bookingDate',
  'valueDate',
  'entryReference',
  'transactionId',
  'endToEndId',
  'kind',
  'creditDebit',
  'amount',
  'amountMinor',
  'currency',
  'counterpartyIban',
  'counterpartyName',
  'remittanceInformation',
  'reasonCode',
  'statementDate',
  'balanceAfterMinor',
] as const;

/**
 * One row per entry, every currency's statement in one file; amounts both decimal and minor, and
 * the balance after each entry (so the opening and closing balances follow from the rows).
 */
export function statementCsv(statements: Statement[]): string {
  const records = statements.flatMap((statement) => {
    let balance = statement.openingMinor;
    return statement.entries.map((entry) => {
      balance = addMinor(balance, signedAmount(entry));
      return {
        statementId: statement.id,
        accountIban: statement.accountIban,
        bookingDate: entry.bookingDate,
        valueDate: entry.valueDate,
        entryReference: entry.entryReference,
        transactionId: entry.transactionId,
        endToEndId: entry.endToEndId,
        kind: entry.kind,
        creditDebit: entry.creditDebit,
        amount: minorToDecimal(entry.amountMinor, currencyExponent(entry.currency)),
        amountMinor: entry.amountMinor.toString(),
        currency: entry.currency,
        counterpartyIban: entry.counterpartyIban,
        counterpartyName: entry.counterpartyName,
        remittanceInformation: entry.remittanceInformation ?? '',
        reasonCode: entry.reasonCode ?? '',
        statementDate: statement.date,
        balanceAfterMinor: balance.toString(),
      };
    });
  });
  return stringify(records, { header: true, columns: [...STATEMENT_CSV_COLUMNS] });
}
