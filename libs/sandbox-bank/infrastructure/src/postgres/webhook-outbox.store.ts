import type { DataSource } from 'typeorm';
import { rows, text } from './sql';

export interface DueWebhook {
  webhookId: string;
  payload: string;
  attempts: number;
  duplicate: boolean;
  createdAt: Date;
}

/** The webhook outbox: claimed with a lease, so a crashed attempt is simply tried again later. */
export class PostgresWebhookOutbox {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` due deliveries, oldest due first, by moving their next attempt past the
   * lease: another worker (or this one after a restart) tries them again only once it ran out.
   */
  async claimDue(now: Date, leaseMs: number, limit: number): Promise<DueWebhook[]> {
    const claimed = await rows(
      this.dataSource.manager,
      `UPDATE webhook_deliveries SET next_attempt_at = $2, attempts = attempts + 1
       WHERE webhook_id IN (
         SELECT webhook_id FROM webhook_deliveries
         WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= $1
         ORDER BY next_attempt_at, webhook_id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING webhook_id, payload, attempts, duplicate, created_at, next_attempt_at`,
      [now, new Date(now.getTime() + leaseMs), limit],
    );
    return claimed
      .map((row) => ({
        webhookId: text(row.webhook_id),
        payload: text(row.payload),
        attempts: Number(row.attempts),
        duplicate: row.duplicate === true,
        createdAt: new Date(row.created_at as Date),
      }))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async markDelivered(webhookId: string, status: number, now: Date): Promise<void> {
    await rows(
      this.dataSource.manager,
      `UPDATE webhook_deliveries SET delivered_at = $2, last_status = $3, last_error = NULL
       WHERE webhook_id = $1`,
      [webhookId, now, status],
    );
  }

  async markFailed(
    webhookId: string,
    failure: { status: number | null; error: string; nextAttemptAt: Date | null; now: Date },
  ): Promise<void> {
    await rows(
      this.dataSource.manager,
      `UPDATE webhook_deliveries SET last_status = $2, last_error = $3,
         next_attempt_at = COALESCE($4, next_attempt_at),
         abandoned_at = CASE WHEN $4::timestamptz IS NULL THEN $5::timestamptz END
       WHERE webhook_id = $1`,
      [webhookId, failure.status, failure.error.slice(0, 500), failure.nextAttemptAt, failure.now],
    );
  }
}
