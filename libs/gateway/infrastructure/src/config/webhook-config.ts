import { z } from 'zod';

const HOUR_MS = 3_600_000;
const milliseconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** The webhooks' settings (issue 13). Tests shorten the retry budget and the backoff. */
export const webhookConfigShape = {
  /**
   * Development only: webhook URLs may point at loopback, over plain http too. Off in production,
   * where only https to public addresses is allowed.
   */
  GATEWAY_WEBHOOK_ALLOW_LOOPBACK: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** The first retry's wait; each one doubles (with jitter) up to the maximum. */
  GATEWAY_WEBHOOK_BACKOFF_MS_MIN: milliseconds(10, HOUR_MS, 5_000),
  GATEWAY_WEBHOOK_BACKOFF_MS_MAX: milliseconds(10, 24 * HOUR_MS, HOUR_MS),
  /** Attempts go on for at least this long (24 h unless a test shortens it), then `failed`. */
  GATEWAY_WEBHOOK_RETRY_FOR_MS: milliseconds(100, 30 * 24 * HOUR_MS, 24 * HOUR_MS),
  /** An endpoint whose every delivery failed for this long is disabled, with the reason. */
  GATEWAY_WEBHOOK_DISABLE_AFTER_MS: milliseconds(100, 90 * 24 * HOUR_MS, 5 * 24 * HOUR_MS),
  /** One attempt, connecting to the answer's headers. */
  GATEWAY_WEBHOOK_TIMEOUT_MS: milliseconds(100, 60_000, 10_000),
  GATEWAY_WEBHOOK_CONCURRENCY_PER_ENDPOINT: z.coerce.number().int().min(1).max(64).default(4),
  /** Attempts in flight in one gateway process. */
  GATEWAY_WEBHOOK_IN_FLIGHT_MAX: z.coerce.number().int().min(1).max(1_000).default(64),
  /** A larger body is sent without the payment's representation (the receiver reads it). */
  GATEWAY_WEBHOOK_PAYLOAD_BYTES_MAX: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(1_048_576)
    .default(65_536),
  GATEWAY_WEBHOOK_POLL_INTERVAL_MS: milliseconds(10, 60_000, 500),
  GATEWAY_WEBHOOK_ENDPOINTS_PER_CLIENT_MAX: z.coerce.number().int().min(1).max(100).default(20),
};
