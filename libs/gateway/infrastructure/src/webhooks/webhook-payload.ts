import { Webhook } from 'standardwebhooks';
import type { PaymentEventData, PaymentEventType } from '@rtp/contracts';

/**
 * The body of a webhook (the Standard Webhooks shape: type, timestamp, data): the event's id and
 * the payment's public representation with its status sequence. A payment whose representation is
 * larger than the limit (its metadata, say) is sent without it: the receiver reads the payment.
 */
export function webhookPayload(
  eventId: string,
  type: PaymentEventType,
  data: PaymentEventData,
  payloadBytesMax: number,
): string {
  const full = JSON.stringify({
    type,
    timestamp: data.at,
    data: {
      eventId,
      payment: data.payment,
      statusSequence: data.statusSequence,
      derivedFrom: data.derivedFrom,
    },
  });
  if (Buffer.byteLength(full, 'utf8') <= payloadBytesMax) return full;
  return JSON.stringify({
    type,
    timestamp: data.at,
    data: {
      eventId,
      payment: { id: data.payment.id, kind: data.payment.kind, status: data.payment.status },
      statusSequence: data.statusSequence,
      truncated: true,
    },
  });
}

/**
 * The Standard Webhooks headers of one attempt: the id (the same on every attempt), the attempt's
 * time, and one signature per secret in use (during a rotation's overlap, the new and the old).
 */
export function signedHeaders(
  webhookId: string,
  payload: string,
  secrets: readonly string[],
  at: Date,
): Record<string, string> {
  if (secrets.length === 0) throw new Error(`webhook ${webhookId} has no secret to sign with`);
  const signatures = secrets.map((secret) => new Webhook(secret).sign(webhookId, at, payload));
  return {
    'content-type': 'application/json',
    'user-agent': 'rtp-webhooks/1',
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1_000)),
    'webhook-signature': signatures.join(' '),
  };
}
