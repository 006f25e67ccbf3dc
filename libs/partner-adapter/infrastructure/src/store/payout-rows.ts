import { EntityManager } from 'typeorm';
import { Payout, PayoutChange, PayoutState } from '@rtp/partner-adapter/domain';

export const PAYOUT_COLUMNS = `payment_id, account_id, partner_id, amount_minor::text AS amount_minor,
  currency, beneficiary_iban, beneficiary_name, end_to_end_id, reference, state, bank_transfer_id,
  submissions, checks, next_check_at, next_send_at, deadline_at, reserved_at, return_watch_until,
  escalated_at, traceparent`;

export function payoutOf(row: Record<string, unknown>): Payout {
  const date = (value: unknown) => (value === null ? null : new Date(value as string));
  return {
    paymentId: row.payment_id as string,
    accountId: row.account_id as string,
    partnerId: row.partner_id as string,
    amountMinor: String(row.amount_minor),
    currency: (row.currency as string).trim(),
    beneficiary: { iban: row.beneficiary_iban as string, name: row.beneficiary_name as string },
    endToEndId: row.end_to_end_id as string,
    reference: (row.reference as string | null) ?? null,
    state: row.state as PayoutState,
    bankTransferId: (row.bank_transfer_id as string | null) ?? null,
    submissions: Number(row.submissions),
    checks: Number(row.checks),
    nextCheckAt: date(row.next_check_at),
    nextSendAt: new Date(row.next_send_at as string),
    deadlineAt: new Date(row.deadline_at as string),
    reservedAt: new Date(row.reserved_at as string),
    returnWatchUntil: date(row.return_watch_until),
    escalatedAt: date(row.escalated_at ?? null),
    traceparent: (row.traceparent as string | null | undefined) ?? null,
  };
}

/** A payout's new state, in the caller's transaction. */
export async function writePayoutChange(
  manager: EntityManager,
  paymentId: string,
  change: PayoutChange & { submissions?: number; nextSendAt?: Date },
  at: Date,
): Promise<void> {
  await manager.query(
    `UPDATE partner_adapter.payouts SET state = $2, bank_transfer_id = $3, next_check_at = $4,
       checks = $5, submissions = COALESCE($6, submissions), next_send_at = COALESCE($7, next_send_at),
       return_watch_until = $8, updated_at = $9,
       escalated_at = CASE WHEN $2 = 'escalated' OR $10 THEN COALESCE(escalated_at, $9)
         ELSE escalated_at END
     WHERE payment_id = $1`,
    [
      paymentId,
      change.state,
      change.bankTransferId,
      change.nextCheckAt,
      change.checks,
      change.submissions ?? null,
      change.nextSendAt ?? null,
      change.returnWatchUntil,
      at,
      change.escalates === true,
    ],
  );
}

/** Locks and reads one payout (null when there is none). */
export async function lockPayout(
  manager: EntityManager,
  where: { paymentId?: string; endToEndId?: string; bankTransferId?: string },
): Promise<Payout | null> {
  const [column, value] = where.paymentId
    ? ['payment_id', where.paymentId]
    : where.endToEndId
      ? ['end_to_end_id', where.endToEndId]
      : ['bank_transfer_id', where.bankTransferId];
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT ${PAYOUT_COLUMNS} FROM partner_adapter.payouts WHERE ${column} = $1 FOR UPDATE`,
    [value],
  );
  return rows.length > 0 ? payoutOf(rows[0]) : null;
}

/** Records the start of a request to the bank; its outcome is written by finishAttempt. */
export async function startAttempt(
  manager: EntityManager,
  paymentId: string,
  kind: 'create' | 'status',
  at: Date,
): Promise<string> {
  const [row] = await manager.query(
    `INSERT INTO partner_adapter.attempts (payment_id, call_kind, started_at) VALUES ($1, $2, $3)
     RETURNING attempt_id`,
    [paymentId, kind, at],
  );
  return String(row.attempt_id);
}

export async function finishAttempt(
  manager: EntityManager,
  attemptId: string,
  outcome: { kind: string; label: string; status: number | null },
  latencyMs: number,
): Promise<void> {
  await manager.query(
    `UPDATE partner_adapter.attempts SET outcome_kind = $2, outcome = $3, http_status = $4,
       latency_ms = $5 WHERE attempt_id = $1`,
    [attemptId, outcome.kind, outcome.label, outcome.status, Math.round(latencyMs)],
  );
}
