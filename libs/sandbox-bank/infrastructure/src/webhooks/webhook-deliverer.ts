import { Webhook } from 'standardwebhooks';
import { bankMetrics } from '../bank-metrics';
import { DueWebhook, PostgresWebhookOutbox } from '../postgres/webhook-outbox.store';

export interface WebhookDeliverySettings {
  url: string;
  secret: string;
  timeoutMs: number;
  backoffMsMin: number;
  backoffMsMax: number;
  /** Past this age a delivery is abandoned (kept, marked, counted), as real providers do. */
  retryForMs: number;
  /** How long a claimed attempt may take before another claim may try it again. */
  leaseMs: number;
  batchSizeMax: number;
}

/** Exponential backoff with full jitter: attempt n waits up to min(max, min * 2^(n-1)). */
export function backoffMs(attempts: number, min: number, max: number, draw: number): number {
  const ceiling = Math.min(max, min * 2 ** Math.min(attempts - 1, 30));
  return Math.round(min + draw * Math.max(ceiling - min, 0));
}

/** Sends the outbox's due webhooks, signed per Standard Webhooks, one claim batch at a time. */
export class WebhookDeliverer {
  private readonly signer: Webhook;

  constructor(
    private readonly outbox: PostgresWebhookOutbox,
    private readonly settings: WebhookDeliverySettings,
  ) {
    this.signer = new Webhook(settings.secret);
  }

  /** One POST; the timestamp (and so the signature) is the attempt's, the id the event's. */
  private async post(webhook: DueWebhook): Promise<number> {
    const timestamp = new Date();
    const signature = this.signer.sign(webhook.webhookId, timestamp, webhook.payload);
    const response = await fetch(this.settings.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': webhook.webhookId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1_000)),
        'webhook-signature': signature,
      },
      body: webhook.payload,
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.status;
  }

  private async attempt(webhook: DueWebhook): Promise<void> {
    let status: number | null = null;
    let error = '';
    try {
      status = await this.post(webhook);
    } catch (caught) {
      error = (caught as Error).message;
    }
    const now = new Date();
    if (status !== null && status >= 200 && status < 300) {
      await this.outbox.markDelivered(webhook.webhookId, status, now);
      bankMetrics.webhookDeliveries.inc({ outcome: 'delivered' });
      if (webhook.duplicate) {
        // The injected duplicate: the same event once more, as a provider's retry would send it.
        await this.post(webhook).catch(() => undefined);
        bankMetrics.webhookDeliveries.inc({ outcome: 'duplicate' });
      }
      return;
    }
    const { backoffMsMin, backoffMsMax, retryForMs } = this.settings;
    const abandon = now.getTime() - webhook.createdAt.getTime() > retryForMs;
    const waitMs = backoffMs(webhook.attempts, backoffMsMin, backoffMsMax, Math.random());
    await this.outbox.markFailed(webhook.webhookId, {
      status,
      error: error || `answered ${status}`,
      nextAttemptAt: abandon ? null : new Date(now.getTime() + waitMs),
      now,
    });
    bankMetrics.webhookDeliveries.inc({ outcome: abandon ? 'abandoned' : 'failed' });
  }

  /** Delivers what is due now, in the order the events happened; returns how many it tried. */
  async deliverDue(): Promise<number> {
    const due = await this.outbox.claimDue(
      new Date(),
      this.settings.leaseMs,
      this.settings.batchSizeMax,
    );
    for (const webhook of due) await this.attempt(webhook);
    return due.length;
  }
}
