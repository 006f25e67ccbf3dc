import { parse } from 'csv-parse/sync';
import { StatementEntry } from '@rtp/contracts';
import { addChecked, decimalToMinor, knownCurrency, signedMinor } from './amounts';
import { checkedEntry } from './camt053-nodes';
import { LocatedStatement } from './statement-checks';
import { refuse } from './statement-file';

/**
 * The sandbox bank's CSV statement (its documented header, in this order): one row per entry,
 * every currency's statement in one file, amounts both decimal and minor, and the balance after
 * each entry, from which the opening and closing balances follow.
 */
export const STATEMENT_CSV_HEADER = [
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
type Row = Record<(typeof STATEMENT_CSV_HEADER)[number], string>;

/** What a row's kind means in camt.053 terms (reversal indicator, bank transaction sub-family). */
const KINDS: Record<string, { reversal: boolean; code: string }> = {
  transfer_booked: { reversal: false, code: 'ESCT' },
  transfer_reversed: { reversal: true, code: 'ESCT' },
  transfer_returned: { reversal: false, code: 'RRTN' },
  credit_booked: { reversal: false, code: 'ESCT' },
};

const nullable = (value: string) => (value === '' ? null : value);

function signedBalance(text: string, location: string): bigint {
  if (!/^-?(0|[1-9]\d{0,18})$/.test(text)) {
    refuse('invalid_value', `balanceAfterMinor "${text}" is not whole minor units`, location);
  }
  return BigInt(text);
}

function entryOf(row: Row, location: string): StatementEntry {
  const kind = KINDS[row.kind];
  if (!kind) refuse('invalid_value', `unknown kind "${row.kind}"`, `${location}, kind`);
  const currency = knownCurrency(row.currency, `${location}, currency`);
  const amountMinor = decimalToMinor(row.amount, currency, `${location}, amount`).toString();
  if (amountMinor !== row.amountMinor) {
    refuse(
      'invalid_value',
      `amount ${row.amount} and amountMinor ${row.amountMinor} differ`,
      location,
    );
  }
  const entry = {
    entryReference: row.entryReference,
    creditDebit: row.creditDebit as 'CRDT' | 'DBIT',
    amountMinor,
    currency,
    bookingDate: row.bookingDate,
    valueDate: row.valueDate,
    reversal: kind.reversal,
    bankTransactionCode: kind.code,
    transactions: [
      {
        endToEndId: nullable(row.endToEndId),
        transactionId: nullable(row.transactionId),
        amountMinor,
        counterpartyIban: nullable(row.counterpartyIban),
        counterpartyName: nullable(row.counterpartyName),
        remittanceInformation: nullable(row.remittanceInformation),
        reasonCode: nullable(row.reasonCode),
      },
    ],
  };
  return checkedEntry(entry, location);
}

function records(csv: string): { row: string[]; line: number }[] {
  try {
    const parsed = parse(csv, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return parsed.map(({ record, info }) => ({ row: record, line: info.lines }));
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    refuse('csv_syntax', (error as Error).message, line ? `line ${line}` : null);
  }
}

/** The statements of a CSV file, grouped by `statementId` in the order they first appear. */
export function parseStatementCsv(csv: string): LocatedStatement[] {
  const [header, ...rows] = records(csv);
  if (!header || header.row.join(',') !== STATEMENT_CSV_HEADER.join(',')) {
    refuse('csv_header', `the first line must be ${STATEMENT_CSV_HEADER.join(',')}`, 'line 1');
  }
  const statements = new Map<string, LocatedStatement & { balance: bigint }>();
  for (const { row: values, line } of rows) {
    const row = Object.fromEntries(STATEMENT_CSV_HEADER.map((name, i) => [name, values[i]])) as Row;
    const location = `line ${line}`;
    const entry = entryOf(row, location);
    const after = signedBalance(row.balanceAfterMinor, `${location}, balanceAfterMinor`);
    const change = signedMinor(entry.creditDebit, BigInt(entry.amountMinor));
    let statement = statements.get(row.statementId);
    if (!statement) {
      const openingMinor = addChecked(after, -change, location);
      statement = {
        bankStatementId: row.statementId,
        accountIban: row.accountIban,
        currency: entry.currency,
        date: row.statementDate,
        openingMinor,
        closingMinor: openingMinor,
        entries: [],
        location,
        entryLocations: [],
        balance: openingMinor,
      };
      statements.set(row.statementId, statement);
    }
    if (row.accountIban !== statement.accountIban || row.statementDate !== statement.date) {
      refuse('invalid_value', `statement ${row.statementId} changes account or date`, location);
    }
    statement.balance = addChecked(statement.balance, change, location);
    if (statement.balance !== after) {
      refuse(
        'balance_mismatch',
        `the balance after this entry should be ${statement.balance}, the row says ${after}`,
        `${location}, balanceAfterMinor`,
      );
    }
    statement.closingMinor = after;
    statement.entries.push(entry);
    statement.entryLocations.push(location);
  }
  return [...statements.values()].map(({ balance: _balance, ...statement }) => statement);
}
