import { z } from 'zod';
import { positiveAmountMinorSchema } from '@rtp/contracts';
import { commonConfigShape, parseConfig } from '@rtp/shared/config';
import { webhookConfigShape } from './webhook-config';

export const gatewayConfigShape = {
  ...commonConfigShape,
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /** Reads of read models go here when set (a Postgres read replica); writes always go to DATABASE_URL. */
  READ_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//)
    .optional(),
  GATEWAY_DATABASE_POOL_SIZE_MAX: z.coerce.number().int().min(2).max(100).default(20),
  /** The development admin key; in production it comes from a secret. At least 32 characters. */
  ADMIN_API_KEY: z.string().min(32),
  IDEMPOTENCY_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(24)
    .max(24 * 90)
    .default(24),
  /** Requests per second per API key, per gateway replica; over it answers 429 with Retry-After. */
  GATEWAY_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  PAYMENT_WAIT_MS_DEFAULT: z.coerce.number().int().min(0).max(10_000).default(2_000),
  /** The largest amount one payment or deposit may move, in minor units (at most 2^63-1). */
  PAYMENT_AMOUNT_MINOR_MAX: positiveAmountMinorSchema
    .default('100000000000000')
    .transform((value) => BigInt(value)),
  /** How long the first payment of an accepting transaction waits for others to join it. */
  GATEWAY_ACCEPT_WINDOW_MS: z.coerce.number().int().min(0).max(100).default(2),
  /** Payments and deposits accepted in one transaction at most. */
  GATEWAY_ACCEPT_GROUP_SIZE_MAX: z.coerce.number().int().min(1).max(1_000).default(256),
  /** Accepting transactions open at once; a full group waits (and keeps filling) for a slot. */
  GATEWAY_ACCEPT_GROUPS_IN_FLIGHT_MAX: z.coerce.number().int().min(1).max(16).default(2),
  /** Consumers of the ledger's events in one gateway process: one fetches while another commits. */
  GATEWAY_PROJECTION_CONSUMERS: z.coerce.number().int().min(1).max(8).default(1),
  /** Accounts whose facts (owner, currency, status, consent) are kept in memory per replica. */
  GATEWAY_ACCOUNT_CACHE_SIZE_MAX: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  /** API keys kept in memory per replica; as many unknown keys are remembered apart, briefly. */
  GATEWAY_API_KEY_CACHE_SIZE_MAX: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** The partner bank payouts go through (issue #10); the partner adapter serves it. */
  PARTNER_ID: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,59}$/)
    .default('sandbox'),
  /**
   * The sandbox bank's German bank code (Bankleitzahl, 8 digits): every account's virtual IBAN is
   * DE, this code and ten digits derived from the account id.
   */
  VIRTUAL_IBAN_BANK_CODE: z
    .string()
    .regex(/^[0-9]{8}$/, 'an 8-digit bank code')
    .default('10010010'),
  ...webhookConfigShape,
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(10_000),
  KAFKA_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).max(10_000).default(1_000),
  KAFKA_FETCH_WAIT_MS_MAX: z.coerce.number().int().min(1).max(5_000).default(20),
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(env: Record<string, string | undefined>) {
  return parseConfig(gatewayConfigShape, env);
}
