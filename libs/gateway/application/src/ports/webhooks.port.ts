import type { PaymentEventType } from '@rtp/contracts';

export type WebhookEndpointStatus = 'enabled' | 'disabled';

export interface WebhookEndpointView {
  id: string;
  url: string;
  eventTypes: PaymentEventType[];
  status: WebhookEndpointStatus;
  disabledReason: string | null;
  createdAt: Date;
}

export interface NewWebhookEndpoint {
  endpointId: string;
  clientId: string;
  url: string;
  eventTypes: PaymentEventType[];
  secret: string;
  createdAt: Date;
}

export interface WebhookAttemptView {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  paymentId: string;
  statusSequence: number;
  status: 'pending' | 'delivered' | 'failed';
  nextAttemptAt: Date | null;
  createdAt: Date;
  finishedAt: Date | null;
  attempts: WebhookAttemptView[];
}

/** A client's webhook endpoints: every call names the client, so none reaches another's. */
export interface WebhookEndpointStore {
  countEndpoints(clientId: string): Promise<number>;
  createEndpoint(endpoint: NewWebhookEndpoint): Promise<void>;
  listEndpoints(clientId: string): Promise<WebhookEndpointView[]>;
  /** Marks it deleted (its deliveries are kept); false when the client has no such endpoint. */
  deleteEndpoint(clientId: string, endpointId: string, at: Date): Promise<boolean>;
  /**
   * Adds `secret` and lets every secret without an expiry expire at `previousExpiresAt`; false
   * when the client has no such endpoint.
   */
  rotateSecret(
    clientId: string,
    endpointId: string,
    rotation: { secret: string; previousExpiresAt: Date; at: Date },
  ): Promise<boolean>;
  /** Newest first with their attempts; null when the client has no such endpoint. */
  listDeliveries(
    clientId: string,
    endpointId: string,
    limit: number,
  ): Promise<WebhookDeliveryView[] | null>;
  /** Makes a finished delivery due now with a new retry budget. */
  retryDelivery(
    clientId: string,
    endpointId: string,
    deliveryId: string,
    at: Date,
  ): Promise<'retried' | 'pending' | 'not_found'>;
}

/** The addresses a host name resolves to now (an empty list when it resolves to none). */
export interface HostResolver {
  resolve(host: string): Promise<string[]>;
}
