import { EntityManager } from 'typeorm';
import { RecordChange } from '@rtp/reconciler/application';
import { STATUS_RANK } from '@rtp/reconciler/domain';

/** Several changes of one record in a batch folded into one: the highest status, known fields. */
export function foldChanges(changes: readonly RecordChange[]): RecordChange[] {
  const byId = new Map<string, RecordChange>();
  for (const change of changes) {
    const seen = byId.get(change.recordId);
    if (!seen) {
      byId.set(change.recordId, change);
      continue;
    }
    const higher = STATUS_RANK[change.status] > STATUS_RANK[seen.status];
    byId.set(change.recordId, {
      ...seen,
      amountMinor: seen.amountMinor ?? change.amountMinor,
      currency: seen.currency ?? change.currency,
      status: higher ? change.status : seen.status,
      endToEndId: seen.endToEndId ?? change.endToEndId,
      bankTransactionId: seen.bankTransactionId ?? change.bankTransactionId,
      date: change.date ?? seen.date,
    });
  }
  return [...byId.values()];
}

/** One statement for the batch's records: a status only moves up its rank. */
export async function upsertRecords(
  manager: EntityManager,
  changes: readonly RecordChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const folded = foldChanges(changes);
  await manager.query(
    `INSERT INTO reconciler.records AS r (record_id, kind, account_id, partner_id, credit_debit,
       amount_minor, currency, status, status_rank, end_to_end_id, bank_transaction_id, money_date,
       updated_at)
     SELECT v.*, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
       $6::bigint[], $7::text[], $8::text[], $9::smallint[], $10::text[], $11::text[], $12::date[])
       AS v
     ON CONFLICT (record_id) DO UPDATE SET
       amount_minor = COALESCE(r.amount_minor, EXCLUDED.amount_minor),
       currency = COALESCE(r.currency, EXCLUDED.currency),
       status = CASE WHEN EXCLUDED.status_rank > r.status_rank THEN EXCLUDED.status ELSE r.status END,
       status_rank = GREATEST(r.status_rank, EXCLUDED.status_rank),
       end_to_end_id = COALESCE(r.end_to_end_id, EXCLUDED.end_to_end_id),
       bank_transaction_id = COALESCE(r.bank_transaction_id, EXCLUDED.bank_transaction_id),
       money_date = COALESCE(EXCLUDED.money_date, r.money_date),
       updated_at = now()`,
    [
      folded.map((c) => c.recordId),
      folded.map((c) => c.kind),
      folded.map((c) => c.accountId),
      folded.map((c) => c.partnerId),
      folded.map((c) => c.creditDebit),
      folded.map((c) => c.amountMinor),
      folded.map((c) => c.currency),
      folded.map((c) => c.status),
      folded.map((c) => STATUS_RANK[c.status]),
      folded.map((c) => c.endToEndId),
      folded.map((c) => c.bankTransactionId),
      folded.map((c) => c.date),
    ],
  );
}
