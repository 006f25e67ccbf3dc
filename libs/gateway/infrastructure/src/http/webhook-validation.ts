import { z } from 'zod';
import { PAYMENT_EVENT_TYPES } from '@rtp/contracts';
import {
  SECRET_OVERLAP_SECONDS_DEFAULT,
  SECRET_OVERLAP_SECONDS_MAX,
  WEBHOOK_URL_LENGTH_MAX,
} from '@rtp/gateway/domain';

/** POST /v1/webhook-endpoints: where to send, and which payment events. */
export const createWebhookEndpointSchema = z.strictObject({
  url: z.string().min(1).max(WEBHOOK_URL_LENGTH_MAX),
  eventTypes: z
    .array(z.enum(PAYMENT_EVENT_TYPES))
    .min(1)
    .max(PAYMENT_EVENT_TYPES.length)
    .refine((types) => new Set(types).size === types.length, 'each event type once'),
});

/** POST /v1/webhook-endpoints/{id}/secret-rotations: how long the previous secret still signs. */
export const rotateWebhookSecretSchema = z.strictObject({
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(SECRET_OVERLAP_SECONDS_MAX)
    .default(SECRET_OVERLAP_SECONDS_DEFAULT),
});

export const webhookDeliveriesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
