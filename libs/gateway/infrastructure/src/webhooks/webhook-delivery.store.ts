import { DataSource } from 'typeorm';
import { rowsQueryOf } from '@rtp/shared/database';

export interface DueDelivery {
  deliveryId: string;
  endpointId: string;
  url: string;
  payload: string;
  attempts: number;
  budgetFrom: Date;
  /** Every secret not expired, newest first. */
  secrets: string[];
}

export interface RecordedAttempt {
  delivery: DueDelivery;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  outcome: { status: 'delivered' | 'failed' } | { status: 'pending'; nextAttemptAt: Date };
}

/**
 * Claims the due deliveries: enabled endpoints only; per (endpoint, payment) only the lowest
 * status sequence still pending, so a payment's next event waits until the previous one is
 * delivered or failed for good; per endpoint no more than `concurrencyPerEndpoint` in flight (the
 * leases of every replica count). A claim leases the row until `leaseUntil`.
 */
const CLAIM_DUE = `
WITH candidates AS (
  SELECT d.delivery_id, d.endpoint_id, d.next_attempt_at, d.status_sequence
  FROM gateway.webhook_deliveries d
  JOIN gateway.webhook_endpoints e ON e.endpoint_id = d.endpoint_id AND e.status = 'enabled'
  WHERE d.status = 'pending' AND d.next_attempt_at <= $1
    AND (d.lease_until IS NULL OR d.lease_until <= $1)
    AND NOT EXISTS (
      SELECT 1 FROM gateway.webhook_deliveries p
      WHERE p.endpoint_id = d.endpoint_id AND p.payment_id = d.payment_id
        AND p.status = 'pending' AND p.status_sequence < d.status_sequence)
  ORDER BY d.next_attempt_at, d.status_sequence
  LIMIT $3
  FOR UPDATE OF d SKIP LOCKED
), ranked AS (
  SELECT c.delivery_id,
    row_number() OVER (PARTITION BY c.endpoint_id ORDER BY c.next_attempt_at, c.status_sequence)
      + (SELECT count(*) FROM gateway.webhook_deliveries f
         WHERE f.endpoint_id = c.endpoint_id AND f.status = 'pending' AND f.lease_until > $1)
      AS slot
  FROM candidates c
)
UPDATE gateway.webhook_deliveries d SET lease_until = $2
FROM ranked r, gateway.webhook_endpoints e
WHERE d.delivery_id = r.delivery_id AND r.slot <= $4 AND e.endpoint_id = d.endpoint_id
RETURNING d.delivery_id, d.endpoint_id, e.url, d.payload, d.attempts, d.budget_from,
  ARRAY(SELECT s.secret FROM gateway.webhook_secrets s
        WHERE s.endpoint_id = d.endpoint_id AND (s.expires_at IS NULL OR s.expires_at > $1)
        ORDER BY s.created_at DESC) AS secrets`;

/** The rows a statement returns, an UPDATE ... RETURNING's too (TypeORM's plain query does not). */
export async function queryRows(
  dataSource: DataSource,
  sql: string,
  parameters: unknown[],
): Promise<Record<string, unknown>[]> {
  const runner = dataSource.createQueryRunner();
  try {
    return await rowsQueryOf(runner)(sql, parameters);
  } finally {
    await runner.release();
  }
}

export class WebhookDeliveryStore {
  constructor(private readonly dataSource: DataSource) {}

  async claimDue(
    now: Date,
    leaseUntil: Date,
    limit: number,
    concurrencyPerEndpoint: number,
  ): Promise<DueDelivery[]> {
    const claimed = await queryRows(this.dataSource, CLAIM_DUE, [
      now,
      leaseUntil,
      limit,
      concurrencyPerEndpoint,
    ]);
    return claimed.map((row) => ({
      deliveryId: row.delivery_id as string,
      endpointId: row.endpoint_id as string,
      url: row.url as string,
      payload: row.payload as string,
      attempts: Number(row.attempts),
      budgetFrom: row.budget_from as Date,
      secrets: row.secrets as string[],
    }));
  }

  /**
   * Records the attempt and the delivery's new state in one transaction, and the endpoint's
   * health: a success clears its failing streak, a failure starts one; `disableReason` decides,
   * from when the streak began, whether the endpoint is disabled now. Nothing is recorded when
   * another sender recorded this attempt already (its lease ran out meanwhile).
   */
  async recordAttempt(
    attempt: RecordedAttempt,
    disableReason: (failingSince: Date) => string | null,
  ): Promise<boolean> {
    const { delivery, outcome } = attempt;
    const number = delivery.attempts + 1;
    return this.dataSource.transaction(async (manager) => {
      const query = rowsQueryOf(manager.queryRunner!);
      const updated = await query(
        `UPDATE gateway.webhook_deliveries SET attempts = $2, status = $3, next_attempt_at = $4,
           lease_until = NULL, last_status_code = $5, last_error = $6,
           finished_at = CASE WHEN $3 = 'pending' THEN NULL ELSE $7::timestamptz END
         WHERE delivery_id = $1 AND attempts = $2 - 1 RETURNING delivery_id`,
        [
          delivery.deliveryId,
          number,
          outcome.status,
          outcome.status === 'pending' ? outcome.nextAttemptAt : attempt.startedAt,
          attempt.statusCode,
          attempt.error,
          new Date(attempt.startedAt.getTime() + attempt.durationMs),
        ],
      );
      if (updated.length === 0) return false;
      await query(
        `INSERT INTO gateway.webhook_attempts
           (delivery_id, attempt, started_at, duration_ms, status_code, error)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          delivery.deliveryId,
          number,
          attempt.startedAt,
          attempt.durationMs,
          attempt.statusCode,
          attempt.error,
        ],
      );
      await this.recordHealth(query, delivery.endpointId, attempt, disableReason);
      return true;
    });
  }

  private async recordHealth(
    query: ReturnType<typeof rowsQueryOf>,
    endpointId: string,
    attempt: RecordedAttempt,
    disableReason: (failingSince: Date) => string | null,
  ): Promise<void> {
    const at = attempt.startedAt;
    if (attempt.outcome.status === 'delivered') {
      await query(
        `UPDATE gateway.webhook_endpoints SET failing_since = NULL, updated_at = $2
         WHERE endpoint_id = $1 AND failing_since IS NOT NULL`,
        [endpointId, at],
      );
      return;
    }
    const [row] = await query(
      `UPDATE gateway.webhook_endpoints SET failing_since = COALESCE(failing_since, $2)
       WHERE endpoint_id = $1 RETURNING failing_since`,
      [endpointId, at],
    );
    const reason = row ? disableReason(row.failing_since as Date) : null;
    if (reason === null) return;
    await query(
      `UPDATE gateway.webhook_endpoints SET status = 'disabled', disabled_reason = $2,
         updated_at = $3 WHERE endpoint_id = $1 AND status = 'enabled'`,
      [endpointId, reason, at],
    );
  }
}
