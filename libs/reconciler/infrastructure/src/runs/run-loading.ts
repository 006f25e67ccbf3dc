import { EntityManager } from 'typeorm';
import { BankLine, LedgerRecord, RecordStatus, lineKeyOf, shiftDay } from '@rtp/reconciler/domain';

/** The day's complete statements: the latest of each account and currency (a corrected file wins). */
export async function dayStatements(
  manager: EntityManager,
  partnerId: string,
  date: string,
): Promise<string[]> {
  const rows: { statement_id: string }[] = await manager.query(
    `SELECT DISTINCT ON (account_iban, currency) statement_id FROM reconciler.statements
     WHERE partner_id = $1 AND statement_date = $2 AND completed_at IS NOT NULL
     ORDER BY account_iban, currency, completed_at DESC, statement_id`,
    [partnerId, date],
  );
  return rows.map((row) => row.statement_id).sort();
}

/** Every line of the statements in one query, in a stable order (the run's id depends on it). */
export async function dayLines(
  manager: EntityManager,
  statementIds: string[],
): Promise<BankLine[]> {
  if (statementIds.length === 0) return [];
  const rows: Record<string, string | number | boolean | null>[] = await manager.query(
    `SELECT l.line_id, l.statement_id, s.account_iban, l.entry_reference, l.transaction_index,
       l.transaction_count, l.credit_debit, l.amount_minor::text AS amount_minor, l.currency,
       to_char(l.booking_date, 'YYYY-MM-DD') AS booking_date, l.reversal, l.end_to_end_id,
       l.transaction_id, l.reason_code
     FROM reconciler.statement_lines l JOIN reconciler.statements s USING (statement_id)
     WHERE l.statement_id = ANY($1::text[])
     ORDER BY s.account_iban, l.currency, l.entry_index, l.transaction_index`,
    [statementIds],
  );
  return rows.map((row) => ({
    lineId: row.line_id as string,
    lineKey: lineKeyOf(
      row.account_iban as string,
      (row.currency as string).trim(),
      row.entry_reference as string,
      Number(row.transaction_index),
    ),
    statementId: row.statement_id as string,
    entryReference: row.entry_reference as string,
    transactionIndex: Number(row.transaction_index),
    transactionCount: Number(row.transaction_count),
    creditDebit: row.credit_debit as BankLine['creditDebit'],
    amountMinor: BigInt(row.amount_minor as string),
    currency: (row.currency as string).trim(),
    bookingDate: row.booking_date as string,
    reversal: row.reversal as boolean,
    endToEndId: row.end_to_end_id as string | null,
    transactionId: row.transaction_id as string | null,
    reasonCode: row.reason_code as string | null,
  }));
}

/**
 * The records the day needs, found by the database in one query: those a line names (by
 * end-to-end id or bank transaction id), the open payouts, and those due on the window's far
 * end (with whether an earlier run saw them on a statement: matched, or in an exception).
 */
export async function dayRecords(
  manager: EntityManager,
  partnerId: string,
  date: string,
  statementIds: string[],
  dateWindowDays: number,
): Promise<LedgerRecord[]> {
  const due = shiftDay(date, -dateWindowDays);
  const rows: Record<string, string | boolean | null>[] = await manager.query(
    `WITH keys AS MATERIALIZED (SELECT end_to_end_id, transaction_id FROM reconciler.statement_lines
       WHERE statement_id = ANY($3::text[]))
     SELECT r.record_id, r.kind, r.account_id, r.credit_debit, r.amount_minor::text AS amount_minor,
       r.currency, r.status, r.end_to_end_id, r.bank_transaction_id,
       to_char(r.money_date, 'YYYY-MM-DD') AS money_date,
       (r.money_date = $2::date AND (
         EXISTS (SELECT 1 FROM reconciler.matches m WHERE m.record_id = r.record_id)
         OR EXISTS (SELECT 1 FROM reconciler.exceptions e WHERE e.record_id = r.record_id)))
         AS matched_before
     FROM reconciler.records r
     WHERE r.partner_id = $1 AND r.amount_minor IS NOT NULL AND (
       r.money_date = $2::date OR r.status_rank < 3
       OR r.end_to_end_id IN (SELECT end_to_end_id FROM keys WHERE end_to_end_id IS NOT NULL)
       OR r.bank_transaction_id IN (SELECT transaction_id FROM keys WHERE transaction_id IS NOT NULL))
     ORDER BY r.record_id`,
    [partnerId, due, statementIds],
  );
  return rows.map((row) => ({
    kind: row.kind as LedgerRecord['kind'],
    recordId: row.record_id as string,
    accountId: row.account_id as string,
    partnerId,
    creditDebit: row.credit_debit as LedgerRecord['creditDebit'],
    amountMinor: BigInt(row.amount_minor as string),
    currency: (row.currency as string).trim(),
    status: row.status as RecordStatus,
    endToEndId: row.end_to_end_id as string | null,
    bankTransactionId: row.bank_transaction_id as string | null,
    date: row.money_date as string | null,
    matchedBefore: row.matched_before === true,
  }));
}
