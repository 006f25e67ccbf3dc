import { z } from 'zod';
import { isValidIBAN } from 'ibantools';
import { commonConfigShape, parseConfig } from '@rtp/shared/config';
import { faultSettingsSchema } from '@rtp/sandbox-bank/domain';

const postgresUrl = commonConfigShape.DATABASE_URL;
const key = z.string().min(16, 'at least 16 characters');
const milliseconds = z.coerce.number().int().min(0).max(86_400_000);

/** `IBAN:CODE,IBAN:CODE`: creditors the bank refuses, with the ISO reason code it answers. */
const deniedCreditors = z
  .string()
  .regex(/^([A-Z0-9]+:[A-Z0-9]{4})(,[A-Z0-9]+:[A-Z0-9]{4})*$|^$/, 'IBAN:CODE,IBAN:CODE')
  .default('DE12999999990000000004:AC04,DE55999999990000000006:AC06')
  .transform(
    (text) =>
      new Map(text ? text.split(',').map((pair) => pair.split(':') as [string, string]) : []),
  );

const faultsJson = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'not JSON' });
      return z.NEVER;
    }
  })
  .pipe(faultSettingsSchema);

/**
 * The sandbox bank stands in for a partner bank: its own database schema (its own URL, by default
 * the platform's), its own keys; it reads none of the platform's other settings.
 */
export const sandboxBankConfigShape = {
  SANDBOX_BANK_PORT: z.coerce.number().int().min(1).max(65_535).default(3004),
  HOST: commonConfigShape.HOST,
  LOG_LEVEL: commonConfigShape.LOG_LEVEL,
  DATABASE_URL: postgresUrl.optional(),
  SANDBOX_BANK_DATABASE_URL: postgresUrl.optional(),
  SANDBOX_BANK_DATABASE_POOL_SIZE_MAX: z.coerce.number().int().min(1).max(100).default(10),
  SANDBOX_BANK_API_KEY: key,
  SANDBOX_BANK_ADMIN_KEY: key,
  PARTNER_SETTLEMENT_IBAN: z
    .string()
    .refine(isValidIBAN, 'a valid IBAN')
    .default('DE89370400440532013000'),
  SANDBOX_BANK_SETTLEMENT_CURRENCIES: z
    .string()
    .regex(/^[A-Z]{3}(,[A-Z]{3})*$/)
    .default('EUR')
    .transform((text) => text.split(',')),
  SANDBOX_BANK_SETTLEMENT_BALANCE_MINOR: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/)
    .default('100000000000000')
    .transform(BigInt),
  SANDBOX_BANK_BOOKING_DELAY_MS: milliseconds.default(200),
  SANDBOX_BANK_RETURN_RATE: z.coerce.number().min(0).max(1).default(0),
  SANDBOX_BANK_RETURN_DELAY_MS: milliseconds.default(2_000),
  SANDBOX_BANK_TRANSFER_AMOUNT_MINOR_MAX: z
    .string()
    .regex(/^[1-9][0-9]{0,18}$/)
    .default('100000000')
    .transform(BigInt),
  SANDBOX_BANK_DENIED_CREDITORS: deniedCreditors,
  SANDBOX_BANK_FAULT_SEED: z.coerce.number().int().min(0).max(2_147_483_647).default(1),
  SANDBOX_BANK_FAULTS: faultsJson.optional(),
  SANDBOX_BANK_WEBHOOK_URL: z.url().optional(),
  SANDBOX_BANK_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/)
    .optional(),
  SANDBOX_BANK_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  SANDBOX_BANK_WEBHOOK_BACKOFF_MS_MIN: z.coerce.number().int().min(10).max(60_000).default(250),
  SANDBOX_BANK_WEBHOOK_BACKOFF_MS_MAX: z.coerce
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .default(60_000),
  SANDBOX_BANK_WEBHOOK_RETRY_HOURS: z.coerce.number().min(0.01).max(720).default(72),
  SANDBOX_BANK_IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(30).max(3_650).default(30),
  SANDBOX_BANK_WORKER_INTERVAL_MS: z.coerce.number().int().min(5).max(10_000).default(50),
};

export type SandboxBankConfig = ReturnType<typeof loadSandboxBankConfig>;

export function loadSandboxBankConfig(env: Record<string, string | undefined>) {
  const config = parseConfig(sandboxBankConfigShape, env);
  const databaseUrl = config.SANDBOX_BANK_DATABASE_URL ?? config.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error(
      'invalid configuration:\n  SANDBOX_BANK_DATABASE_URL (or DATABASE_URL) is required',
    );
  }
  if (config.SANDBOX_BANK_WEBHOOK_URL && !config.SANDBOX_BANK_WEBHOOK_SECRET) {
    throw new Error(
      'invalid configuration:\n  SANDBOX_BANK_WEBHOOK_SECRET is required with a webhook URL',
    );
  }
  return { ...config, databaseUrl };
}
