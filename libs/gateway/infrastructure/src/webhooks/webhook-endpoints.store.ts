import { DataSource } from 'typeorm';
import type { PaymentEventType } from '@rtp/contracts';
import type {
  NewWebhookEndpoint,
  WebhookDeliveryView,
  WebhookEndpointStore,
  WebhookEndpointView,
} from '@rtp/gateway/application';
import { queryRows } from './webhook-delivery.store';

type Row = Record<string, unknown>;

const endpointOf = (row: Row): WebhookEndpointView => ({
  id: row.endpoint_id as string,
  url: row.url as string,
  eventTypes: row.event_types as PaymentEventType[],
  status: row.status as WebhookEndpointView['status'],
  disabledReason: (row.disabled_reason as string | null) ?? null,
  createdAt: row.created_at as Date,
});

const deliveryOf = (row: Row): WebhookDeliveryView => ({
  id: row.delivery_id as string,
  eventId: row.event_id as string,
  eventType: row.event_type as string,
  paymentId: row.payment_id as string,
  statusSequence: Number(row.status_sequence),
  status: row.status as WebhookDeliveryView['status'],
  nextAttemptAt: row.status === 'pending' ? (row.next_attempt_at as Date) : null,
  createdAt: row.created_at as Date,
  finishedAt: (row.finished_at as Date | null) ?? null,
  attempts: ((row.attempts_made as Row[] | null) ?? []).map((attempt) => ({
    attempt: Number(attempt.attempt),
    startedAt: new Date(attempt.started_at as string),
    durationMs: Number(attempt.duration_ms),
    statusCode: attempt.status_code === null ? null : Number(attempt.status_code),
    error: (attempt.error as string | null) ?? null,
  })),
});

/** The client's endpoints (never another's: every statement names the client). */
export class PostgresWebhookEndpoints implements WebhookEndpointStore {
  constructor(private readonly dataSource: DataSource) {}

  async countEndpoints(clientId: string): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM gateway.webhook_endpoints
       WHERE client_id = $1 AND status <> 'deleted'`,
      [clientId],
    );
    return Number(row.count);
  }

  async createEndpoint(endpoint: NewWebhookEndpoint): Promise<void> {
    await this.dataSource.query(
      `WITH endpoint AS (
         INSERT INTO gateway.webhook_endpoints
           (endpoint_id, client_id, url, event_types, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'enabled', $5, $5) RETURNING endpoint_id)
       INSERT INTO gateway.webhook_secrets (endpoint_id, secret, created_at)
       SELECT endpoint_id, $6, $5 FROM endpoint`,
      [
        endpoint.endpointId,
        endpoint.clientId,
        endpoint.url,
        endpoint.eventTypes,
        endpoint.createdAt,
        endpoint.secret,
      ],
    );
  }

  async listEndpoints(clientId: string): Promise<WebhookEndpointView[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM gateway.webhook_endpoints WHERE client_id = $1 AND status <> 'deleted'
       ORDER BY created_at, endpoint_id`,
      [clientId],
    );
    return rows.map(endpointOf);
  }

  async deleteEndpoint(clientId: string, endpointId: string, at: Date): Promise<boolean> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE gateway.webhook_endpoints SET status = 'deleted', updated_at = $3
       WHERE endpoint_id = $1 AND client_id = $2 AND status <> 'deleted' RETURNING endpoint_id`,
      [endpointId, clientId, at],
    );
    return rows.length === 1;
  }

  async rotateSecret(
    clientId: string,
    endpointId: string,
    rotation: { secret: string; previousExpiresAt: Date; at: Date },
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const owned: Row[] = await manager.query(
        `SELECT endpoint_id FROM gateway.webhook_endpoints
         WHERE endpoint_id = $1 AND client_id = $2 AND status <> 'deleted' FOR UPDATE`,
        [endpointId, clientId],
      );
      if (owned.length === 0) return false;
      await manager.query(
        `UPDATE gateway.webhook_secrets SET expires_at = $2
         WHERE endpoint_id = $1 AND (expires_at IS NULL OR expires_at > $2)`,
        [endpointId, rotation.previousExpiresAt],
      );
      await manager.query(
        `INSERT INTO gateway.webhook_secrets (endpoint_id, secret, created_at) VALUES ($1, $2, $3)`,
        [endpointId, rotation.secret, rotation.at],
      );
      return true;
    });
  }

  async listDeliveries(
    clientId: string,
    endpointId: string,
    limit: number,
  ): Promise<WebhookDeliveryView[] | null> {
    const owned = await this.owned(clientId, endpointId);
    if (!owned) return null;
    const rows: Row[] = await this.dataSource.query(
      `SELECT d.*, (SELECT json_agg(a ORDER BY a.attempt) FROM gateway.webhook_attempts a
                    WHERE a.delivery_id = d.delivery_id) AS attempts_made
       FROM gateway.webhook_deliveries d WHERE d.endpoint_id = $1
       ORDER BY d.created_at DESC, d.status_sequence DESC, d.delivery_id LIMIT $2`,
      [endpointId, limit],
    );
    return rows.map(deliveryOf);
  }

  async retryDelivery(
    clientId: string,
    endpointId: string,
    deliveryId: string,
    at: Date,
  ): Promise<'retried' | 'pending' | 'not_found'> {
    if (!(await this.owned(clientId, endpointId))) return 'not_found';
    const retried = await queryRows(
      this.dataSource,
      `UPDATE gateway.webhook_deliveries SET status = 'pending', next_attempt_at = $3,
         budget_from = $3, finished_at = NULL
       WHERE delivery_id = $1 AND endpoint_id = $2 AND status <> 'pending' RETURNING delivery_id`,
      [deliveryId, endpointId, at],
    );
    if (retried.length === 1) return 'retried';
    const [exists] = await this.dataSource.query(
      `SELECT 1 FROM gateway.webhook_deliveries WHERE delivery_id = $1 AND endpoint_id = $2`,
      [deliveryId, endpointId],
    );
    return exists ? 'pending' : 'not_found';
  }

  private async owned(clientId: string, endpointId: string): Promise<boolean> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT 1 FROM gateway.webhook_endpoints
       WHERE endpoint_id = $1 AND client_id = $2 AND status <> 'deleted'`,
      [endpointId, clientId],
    );
    return rows.length === 1;
  }
}
