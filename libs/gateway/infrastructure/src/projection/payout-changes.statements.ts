import { EntityManager } from 'typeorm';
import { preparedQueryIn } from '@rtp/shared/database';
import { PayoutChange } from './payout-changes';

/** The rank of a status in SQL, as PAYOUT_STATUS_RANK has it. */
const rank = (column: string) => `CASE ${column} WHEN 'processing' THEN 0 WHEN 'pending' THEN 1
  WHEN 'returned' THEN 3 ELSE 2 END`;

/**
 * Writes the payouts' changes (one merged change each, sorted by id so that every projection
 * transaction locks payout rows in one order): a row the gateway did not store first is created
 * from the ledger's event; the details, the status (only ever to a higher rank) and each status
 * reached, once, in the history. Every statement is idempotent, so a redelivered event changes
 * nothing. Runs nothing for a transaction without payouts.
 *
 * A payout's events come on two topics, whose partitions two replicas (or one replica's two
 * runners) may project at once: one creating the row from `PayoutReserved` while the other records
 * `pending` from `PayoutSubmitted` and finds no row. Under READ COMMITTED the creator could read the
 * history before the other's commit and the other update no row: the row would stay `processing`
 * with `pending` in its history (a rebuild, one at a time, says `pending`). So every transaction
 * first takes a lock per payout, in id order (no deadlock between them): the second one waits,
 * then its statements see the first one's rows.
 */
export async function writePayoutChanges(
  manager: EntityManager,
  changes: readonly PayoutChange[],
  at: Date,
): Promise<void> {
  if (changes.length === 0) return;
  const sorted = [...changes].sort((a, b) => (a.paymentId < b.paymentId ? -1 : 1));
  const sql = await preparedQueryIn(manager);
  await sql(
    `SELECT pg_advisory_xact_lock(hashtextextended('payout:' || payment_id, 0))
     FROM (SELECT unnest($1::text[]) AS payment_id ORDER BY 1) ids`,
    [sorted.map((c) => c.paymentId)],
  );
  const created = sorted.filter((c) => c.creation !== null);
  if (created.length > 0) await createPayouts(sql, created, at);
  await sql(
    `UPDATE gateway.payouts o SET decided = o.decided OR i.decided,
       bank_reference = COALESCE(i.bank_reference, o.bank_reference),
       escalated_at = COALESCE(o.escalated_at, i.escalated_at)
     FROM unnest($1::text[], $2::boolean[], $3::text[], $4::timestamptz[])
       AS i(payment_id, decided, bank_reference, escalated_at)
     WHERE o.payment_id = i.payment_id`,
    [
      sorted.map((c) => c.paymentId),
      sorted.map((c) => c.decided),
      sorted.map((c) => c.bankReference),
      sorted.map((c) => c.escalatedAt),
    ],
  );
  const moved = sorted.filter((c) => c.status !== null);
  await sql(
    `UPDATE gateway.payments p SET status = i.status, failure_code = i.failure_code,
       updated_at = i.at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
       AS i(payment_id, status, failure_code, at)
     WHERE p.payment_id = i.payment_id AND p.kind = 'payout'
       AND ${rank('i.status')} > ${rank('p.status')}`,
    [
      moved.map((c) => c.paymentId),
      moved.map((c) => c.status!.status),
      moved.map((c) => c.status!.failureCode),
      moved.map((c) => c.status!.at),
    ],
  );
  const history = sorted.flatMap((c) => c.history.map((entry) => ({ id: c.paymentId, entry })));
  await sql(
    `INSERT INTO gateway.payment_status_history (payment_id, status, failure_code, occurred_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
     ON CONFLICT (payment_id, status) DO NOTHING`,
    [
      history.map((h) => h.id),
      history.map((h) => h.entry.status),
      history.map((h) => h.entry.failureCode),
      history.map((h) => h.entry.at),
    ],
  );
  if (created.length > 0) await catchUpCreated(sql, created);
}

/**
 * A row created from the ledger's event after the partner adapter's events of its payout were
 * projected (two topics, any order) starts at the highest status its history already reached.
 */
async function catchUpCreated(sql: Sql, created: PayoutChange[]): Promise<void> {
  await sql(
    `UPDATE gateway.payments p SET status = h.status, failure_code = h.failure_code,
       updated_at = h.occurred_at
     FROM (SELECT DISTINCT ON (payment_id) payment_id, status, failure_code, occurred_at
             FROM gateway.payment_status_history WHERE payment_id = ANY($1::text[])
            ORDER BY payment_id, ${rank('status')} DESC, occurred_at) h
     WHERE p.payment_id = h.payment_id AND p.kind = 'payout'
       AND ${rank('h.status')} > ${rank('p.status')}`,
    [created.map((c) => c.paymentId)],
  );
}

type Sql = Awaited<ReturnType<typeof preparedQueryIn>>;

/** Payments and payout rows for payouts sent to the ledger by another way than this gateway. */
async function createPayouts(sql: Sql, created: PayoutChange[], at: Date): Promise<void> {
  const rows = created.map((c) => ({ paymentId: c.paymentId, ...c.creation! }));
  await sql(
    `INSERT INTO gateway.payments (payment_id, kind, client_id, source_account_id,
       destination_account_id, amount_minor, currency, status, reference, created_at, updated_at)
     SELECT payment_id, 'payout', client_id, account_id, NULL, amount_minor, currency,
       'processing', reference, $7, $7
     FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[])
       AS i(payment_id, client_id, account_id, amount_minor, currency, reference)
     ON CONFLICT (payment_id) DO NOTHING`,
    [
      rows.map((r) => r.paymentId),
      rows.map((r) => r.clientId),
      rows.map((r) => r.accountId),
      rows.map((r) => r.amountMinor),
      rows.map((r) => r.currency),
      rows.map((r) => r.reference),
      at,
    ],
  );
  const detailed = rows.flatMap((r) =>
    r.beneficiary && r.endToEndId
      ? [{ ...r, beneficiary: r.beneficiary, endToEndId: r.endToEndId }]
      : [],
  );
  if (detailed.length === 0) return;
  await sql(
    `INSERT INTO gateway.payouts (payment_id, partner_id, beneficiary_iban, beneficiary_name,
       end_to_end_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (payment_id) DO NOTHING`,
    [
      detailed.map((r) => r.paymentId),
      detailed.map((r) => r.partnerId),
      detailed.map((r) => r.beneficiary.iban),
      detailed.map((r) => r.beneficiary.name),
      detailed.map((r) => r.endToEndId),
    ],
  );
}
