import { DataSource } from 'typeorm';
import { Kafka } from 'kafkajs';
import { CONSUMER_GROUPS, TOPICS } from '@rtp/contracts';
import { WebhookRetrySettings } from '@rtp/gateway/domain';
import { OutboxMessage, PartitionRunner } from '@rtp/shared/kafka';
import { WebhookDeliveryStore } from './webhook-delivery.store';
import { WebhookIntakeWorker } from './webhook-intake.worker';
import { WebhookSender } from './webhook-sender';

/** The webhooks' settings (GATEWAY_WEBHOOK_* in the gateway's config). */
export interface WebhookSettings {
  /** Development only: loopback URLs (and plain http to them) are allowed. */
  allowLoopback: boolean;
  retry: WebhookRetrySettings;
  timeoutMs: number;
  concurrencyPerEndpoint: number;
  inFlightMax: number;
  payloadBytesMax: number;
  responseBytesMax: number;
  pollIntervalMs: number;
  endpointsPerClientMax: number;
}

export interface WebhooksOptions {
  kafka: Kafka;
  primary: DataSource;
  deadLetters: (letters: OutboxMessage[]) => Promise<void>;
  settings: WebhookSettings;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  fetchWaitMsMax: number;
  stallAfterMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/**
 * The webhooks inside the gateway process: the consumer of payments.events.v1 that stores the
 * deliveries (its own group and stored position, so it never holds back the projections), and
 * the sender loop that posts them.
 */
export function webhooksRunners(options: WebhooksOptions): {
  intake: PartitionRunner;
  sender: WebhookSender;
} {
  const { settings } = options;
  const worker = new WebhookIntakeWorker(
    options.primary,
    options.deadLetters,
    settings.payloadBytesMax,
    (message) => options.log('error', message),
  );
  const intake = new PartitionRunner({
    kafka: options.kafka,
    groupId: CONSUMER_GROUPS.gatewayWebhooks,
    topics: [TOPICS.paymentEvents],
    worker,
    batchSizeMax: 500,
    partitionsConsumedConcurrently: 2,
    sessionTimeoutMs: options.sessionTimeoutMs,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    fetchWaitMsMax: options.fetchWaitMsMax,
    stallAfterMs: options.stallAfterMs,
    log: (level, message) => options.log(level, message),
  });
  const sender = new WebhookSender(
    new WebhookDeliveryStore(options.primary),
    {
      retry: settings.retry,
      post: {
        policy: { allowLoopback: settings.allowLoopback },
        timeoutMs: settings.timeoutMs,
        responseBytesMax: settings.responseBytesMax,
      },
      concurrencyPerEndpoint: settings.concurrencyPerEndpoint,
      inFlightMax: settings.inFlightMax,
      pollIntervalMs: settings.pollIntervalMs,
    },
    (level, message) => options.log(level, message),
  );
  return { intake, sender };
}
