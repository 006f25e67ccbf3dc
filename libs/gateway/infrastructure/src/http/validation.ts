import { z } from 'zod';
import { isMoneyCurrency } from '@rtp/contracts';
import { PAYMENT_STATUSES } from '@rtp/gateway/application';
import { parseAmountMinor } from '@rtp/gateway/domain';
import { NonIntegerNumber } from './json-body';
import { HttpProblemError } from './problems/http-problem';

/** Parses a body with a strict schema: unknown fields, wrong types and bad amounts answer 400. */
export function parseRequest<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const amountIssue = parsed.error.issues.find((issue) => issue.path[0] === 'amount');
  const currencyIssue = parsed.error.issues.find((issue) => issue.path[0] === 'currency');
  const code = amountIssue
    ? 'invalid_amount'
    : currencyIssue
      ? 'invalid_currency'
      : 'validation_failed';
  throw new HttpProblemError({
    status: 400,
    code,
    title: 'The request is not valid',
    detail: parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
      .join('; '),
    extra: {
      errors: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      })),
    },
  });
}

export const amountSchema = z.unknown().transform((value, context) => {
  if (value instanceof NonIntegerNumber) {
    context.addIssue({
      code: 'custom',
      message: `a JSON number amount must be an integer, not ${value.source}`,
    });
    return z.NEVER;
  }
  const result = parseAmountMinor(value);
  if (result.ok) return result.amountMinor;
  context.addIssue({ code: 'custom', message: result.reason });
  return z.NEVER;
});

export const currencySchema = z.string().refine(isMoneyCurrency, {
  message: 'must be an ISO 4217 alpha-3 currency code in upper case, of money (not XXX, XAU...)',
});

export const idSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');
export const metadataSchema = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((value) => Object.keys(value).length <= 20, 'at most 20 keys')
  .nullable()
  .optional()
  .transform((value) => value ?? null);

export const createClientSchema = z.strictObject({ name: z.string().trim().min(1).max(200) });

/** Whether other clients may pay into the account: the owner's consent, off unless given. */
const acceptsCreditsSchema = z.boolean();

export const openAccountSchema = z.strictObject({
  currency: currencySchema,
  name: z
    .string()
    .max(200)
    .nullable()
    .optional()
    .transform((value) => value ?? null),
  metadata: metadataSchema,
  acceptsCreditsFromOtherClients: acceptsCreditsSchema.default(false),
});

/** The settings an account's owner may change (PATCH: only the fields given change). */
export const accountSettingsSchema = z.strictObject({
  acceptsCreditsFromOtherClients: acceptsCreditsSchema,
});

export const paymentSchema = z.strictObject({
  sourceAccountId: idSchema,
  destinationAccountId: idSchema,
  amount: amountSchema,
  currency: currencySchema,
  reference: z
    .string()
    .max(140)
    .nullable()
    .optional()
    .transform((value) => value ?? null),
  metadata: metadataSchema,
});

/**
 * A payout's body. The IBAN and BIC are checked by the use case (ibantools: check digits,
 * country formats), which refuses them with 422 invalid_iban / invalid_bic; here only their shape.
 */
export const payoutSchema = z.strictObject({
  sourceAccountId: idSchema,
  amount: amountSchema,
  currency: currencySchema,
  beneficiary: z.strictObject({
    iban: z.string().min(1).max(50),
    name: z.string().trim().min(1).max(140),
    bic: z
      .string()
      .min(1)
      .max(14)
      .nullable()
      .optional()
      .transform((value) => value ?? null),
  }),
  reference: z
    .string()
    .max(140)
    .nullable()
    .optional()
    .transform((value) => value ?? null),
});

export const depositSchema = z.strictObject({
  accountId: idSchema,
  amount: amountSchema,
  currency: currencySchema,
  reference: z.string().min(1).max(140),
});

// Digits only: a number parser would take `1e1`, `0x10` and ` 5`.
export const limitSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,2}$/, 'must be a whole number from 1 to 100, digits only')
  .transform(Number)
  .pipe(z.number().max(100, 'must be at most 100'))
  .optional()
  .transform((value) => value ?? 20);
export const cursorSchema = z.string().min(1).max(500).optional();

export const entriesQuerySchema = z.strictObject({ limit: limitSchema, cursor: cursorSchema });

export const balanceQuerySchema = z.strictObject({
  asOf: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
});

export const paymentsQuerySchema = z.strictObject({
  accountId: idSchema.optional(),
  status: z.enum(PAYMENT_STATUSES).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});

export const freezeSchema = z.strictObject({
  mode: z.enum(['debits', 'credits', 'all']),
  reason: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,59}$/, 'a snake_case reason code, e.g. suspected_fraud'),
});
