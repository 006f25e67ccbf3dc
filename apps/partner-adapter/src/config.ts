import { z } from 'zod';
import { commonConfigShape, parseConfig } from '@rtp/shared/config';

const ms = (fallback: number, max = 86_400_000) =>
  z.coerce.number().int().min(1).max(max).default(fallback);
const percent = (fallback: number) => z.coerce.number().int().min(1).max(100).default(fallback);

export const partnerAdapterConfigShape = {
  ...commonConfigShape,
  PARTNER_ADAPTER_PORT: z.coerce.number().int().min(1).max(65_535).default(3002),
  ADMIN_API_KEY: z.string().min(16),
  KAFKA_SESSION_TIMEOUT_MS: ms(10_000, 300_000),
  KAFKA_HEARTBEAT_INTERVAL_MS: ms(1_000, 60_000),
  PARTNER_ID: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,30}$/)
    .default('sandbox'),
  PARTNER_BANK_URL: z.string().url().default('http://127.0.0.1:3004'),
  PARTNER_BANK_API_KEY: z.string().min(8),
  /** Standard Webhooks secret, `whsec_<base64>`. */
  PARTNER_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/),
  /** Our settlement account at the bank, the debtor of every payout. */
  PARTNER_SETTLEMENT_IBAN: z.string().regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/),
  /** A payout still without the bank's word this long after its reservation is escalated. */
  PARTNER_PENDING_DEADLINE_MS: ms(15 * 60_000, 30 * 86_400_000),
  /** The bank code of the accounts' virtual IBANs: the gateway's VIRTUAL_IBAN_BANK_CODE. */
  PARTNER_VIRTUAL_IBAN_BANK_CODE: z
    .string()
    .regex(/^[0-9]{8}$/)
    .default('10010010'),
  /**
   * A credit for a virtual IBAN whose AccountOpened has not arrived yet waits this long after its
   * booking (answered 503, redelivered by the bank), then goes to suspense; 0 never waits.
   */
  PARTNER_UNKNOWN_IBAN_WAIT_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  PARTNER_CREATE_TIMEOUT_MS: ms(2_000, 60_000),
  PARTNER_STATUS_TIMEOUT_MS: ms(2_000, 60_000),
  PARTNER_BREAKER_ERROR_PERCENT: percent(50),
  PARTNER_BREAKER_RESET_MS: ms(2_000, 300_000),
  PARTNER_BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(1).max(1_000).default(5),
  // The error share is over this rolling window: after steady successes a dead bank's failures
  // outweigh them after about (window + create timeout) / 2, so 5 s opens within 5 s (issue #10).
  PARTNER_BREAKER_WINDOW_MS: ms(5_000, 600_000),
  PARTNER_CHECK_BASE_MS: ms(200, 600_000),
  PARTNER_CHECK_MAX_MS: ms(30_000, 3_600_000),
  PARTNER_NOT_SENT_RETRIES_MAX: z.coerce.number().int().min(0).max(20).default(5),
  PARTNER_RETURN_WATCH_MS: ms(10 * 60_000, 30 * 86_400_000),
  PARTNER_RETURN_CHECK_INTERVAL_MS: ms(5_000, 3_600_000),
  PARTNER_SENDER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  PARTNER_POLL_IDLE_MS: ms(100, 10_000),
  /** The daily statement fetch (UTC cron, croner syntax), or `off`: 00:15 for yesterday. */
  PARTNER_STATEMENT_SCHEDULE: z
    .string()
    .refine(
      (value) => value === 'off' || value.trim().split(/\s+/).length >= 5,
      'a cron expression or off',
    )
    .default('15 0 * * *'),
  PARTNER_STATEMENT_DAYS_BACK: z.coerce.number().int().min(0).max(31).default(1),
  PARTNER_STATEMENT_FORMAT: z
    .enum(['camt.053.001.08', 'camt.053.001.02', 'csv'])
    .default('camt.053.001.08'),
  PARTNER_STATEMENT_TIMEOUT_MS: ms(60_000, 600_000),
  PARTNER_STATEMENT_ATTEMPTS_MAX: z.coerce.number().int().min(1).max(10).default(3),
};

export type PartnerAdapterConfig = ReturnType<typeof loadPartnerAdapterConfig>;

export function loadPartnerAdapterConfig(env: Record<string, string | undefined>) {
  return parseConfig(partnerAdapterConfigShape, env);
}
