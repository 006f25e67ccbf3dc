import { EntityManager } from 'typeorm';
import { preparedQueryIn } from '@rtp/shared/database';
import { PaymentUpsert } from './payment-changes';

/**
 * Upserts the payments (one merged upsert each) and sends the wake-ups, in one statement.
 *
 * A payment is notified only when this statement took its status out of `processing`: requests
 * wait for nothing else of a payment. The notification tells the outcome as stored (JSON: id,
 * status, failureCode, failedLeg, updatedAt; parseOutcomeNotification), so the request that
 * accepted the payment answers without reading it back. `previous` is read with the statement's snapshot while the
 * upsert works on the latest committed row, so when a concurrent transaction made the payment
 * terminal first, both send it (a spare wake-up), never neither. `alsoWoken` (accounts, commands)
 * are sent whatever changed.
 *
 * Both legs of a transfer update its row, from two partitions' transactions at once. The insert
 * takes its input sorted by payment id and locks each row (or waits for another transaction's
 * uncommitted row) in that order, one row after the other: every projection transaction locks
 * payments in one global order, which rules out deadlocks between them. That is why the advisory
 * locks over the sorted ids, needed while each event had its own statement in event order, are
 * gone. Account rows are locked by their own partition's transactions only (see
 * writeAccountChanges), and this statement runs last, so nothing shared is locked after it.
 */
export async function writePaymentsAndWake(
  manager: EntityManager,
  payments: readonly PaymentUpsert[],
  alsoWoken: readonly string[],
  channel: string,
  at: Date,
): Promise<void> {
  if (payments.length === 0 && alsoWoken.length === 0) return;
  const column = (value: (payment: PaymentUpsert) => unknown) => payments.map(value);
  await (
    await preparedQueryIn(manager)
  )(
    `WITH incoming AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
         $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::jsonb[])
         AS t(payment_id, kind, client_id, source_account_id, destination_account_id, amount_minor,
           currency, status, failure_code, failed_leg, reference, metadata)
     ), previous AS (
       SELECT p.payment_id, p.status FROM gateway.payments p JOIN incoming USING (payment_id)
     ), upserted AS (
       INSERT INTO gateway.payments AS p (payment_id, kind, client_id, source_account_id,
         destination_account_id, amount_minor, currency, status, failure_code, reference, metadata,
         created_at, updated_at, failed_leg)
       SELECT payment_id, kind, COALESCE(client_id, ''), source_account_id, destination_account_id,
         amount_minor, currency, status, failure_code, reference, metadata, $13, $13, failed_leg
       FROM incoming ORDER BY payment_id
       ON CONFLICT (payment_id) DO UPDATE SET
         client_id = CASE WHEN p.client_id = '' THEN EXCLUDED.client_id ELSE p.client_id END,
         reference = COALESCE(p.reference, EXCLUDED.reference),
         metadata = COALESCE(p.metadata, EXCLUDED.metadata),
         failure_code = CASE WHEN p.status = 'processing' THEN EXCLUDED.failure_code
           ELSE p.failure_code END,
         failed_leg = CASE WHEN p.status = 'processing' THEN EXCLUDED.failed_leg
           ELSE p.failed_leg END,
         status = CASE WHEN p.status = 'processing' THEN EXCLUDED.status ELSE p.status END,
         updated_at = EXCLUDED.updated_at
       RETURNING p.payment_id, p.status, p.failure_code, p.failed_leg, p.updated_at
     ), woken AS (
       SELECT json_build_object('id', u.payment_id, 'status', u.status,
         'failureCode', u.failure_code, 'failedLeg', u.failed_leg,
         'updatedAt', u.updated_at)::text AS payload
       FROM upserted u LEFT JOIN previous b USING (payment_id)
       WHERE u.status <> 'processing' AND (b.status IS NULL OR b.status = 'processing')
       UNION SELECT unnest($14::text[])
     )
     SELECT count(pg_notify($15, payload)) AS woken FROM woken`,
    [
      column((p) => p.paymentId),
      column((p) => p.kind),
      column((p) => p.clientId),
      column((p) => p.sourceAccountId),
      column((p) => p.destinationAccountId),
      column((p) => p.amountMinor),
      column((p) => p.currency),
      column((p) => p.status),
      column((p) => p.failureCode),
      column((p) => p.failedLeg),
      column((p) => p.reference),
      column((p) => (p.metadata === null ? null : JSON.stringify(p.metadata))),
      at,
      alsoWoken,
      channel,
    ],
  );
}
