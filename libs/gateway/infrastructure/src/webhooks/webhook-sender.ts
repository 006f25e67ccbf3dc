import {
  WebhookRetrySettings,
  afterWebhookAttempt,
  endpointDisabledReason,
} from '@rtp/gateway/domain';
import { describeFailure } from '@rtp/shared/kafka';
import { DueDelivery, WebhookDeliveryStore } from './webhook-delivery.store';
import { signedHeaders } from './webhook-payload';
import { WebhookPostSettings, postWebhook } from './safe-webhook-post';

export interface WebhookSenderSettings {
  retry: WebhookRetrySettings;
  post: WebhookPostSettings;
  concurrencyPerEndpoint: number;
  /** Attempts in flight in this process at most. */
  inFlightMax: number;
  pollIntervalMs: number;
}

/**
 * Sends the due deliveries: it claims what is due (leased, so that no other replica sends it at the
 * same time), posts each with its signatures, and records the attempt and what follows from it:
 * delivered, retried after a backoff, or failed for good once its retry budget is spent.
 */
export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly store: WebhookDeliveryStore,
    private readonly settings: WebhookSenderSettings,
    private readonly log: (level: 'warn' | 'error', message: string) => void,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let claimed = 0;
    try {
      claimed = await this.sendDue();
    } catch (error) {
      this.log('warn', `claiming due webhooks failed; will retry: ${describeFailure(error)}`);
    }
    const room = this.settings.inFlightMax - this.inFlight.size;
    this.schedule(claimed > 0 && room > 0 ? 0 : this.settings.pollIntervalMs);
  }

  /** Claims as many due deliveries as there is room for and starts them; how many it claimed. */
  async sendDue(): Promise<number> {
    const room = this.settings.inFlightMax - this.inFlight.size;
    if (room <= 0) return 0;
    const now = this.clock();
    const leaseMs = this.settings.post.timeoutMs * 2 + 5_000;
    const due = await this.store.claimDue(
      now,
      new Date(now.getTime() + leaseMs),
      room,
      this.settings.concurrencyPerEndpoint,
    );
    for (const delivery of due) {
      const running = this.attempt(delivery)
        .catch((error) =>
          this.log('error', `webhook ${delivery.deliveryId}: ${describeFailure(error)}`),
        )
        .finally(() => this.inFlight.delete(running));
      this.inFlight.add(running);
    }
    return due.length;
  }

  /** Every attempt started so far, finished (for tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    const startedAt = this.clock();
    const headers = signedHeaders(
      delivery.deliveryId,
      delivery.payload,
      delivery.secrets,
      startedAt,
    );
    const result = await postWebhook(delivery.url, headers, delivery.payload, this.settings.post);
    const finishedAt = this.clock();
    const outcome = afterWebhookAttempt({
      statusCode: result.statusCode,
      attempts: delivery.attempts + 1,
      budgetFrom: delivery.budgetFrom,
      now: finishedAt,
      settings: this.settings.retry,
      draw: Math.random(),
    });
    await this.store.recordAttempt(
      {
        delivery,
        startedAt,
        durationMs: Math.max(0, finishedAt.getTime() - startedAt.getTime()),
        statusCode: result.statusCode,
        error:
          result.error ?? (outcome.status === 'delivered' ? null : `answered ${result.statusCode}`),
        outcome,
      },
      (failingSince) => endpointDisabledReason(failingSince, finishedAt, this.settings.retry),
    );
  }
}
