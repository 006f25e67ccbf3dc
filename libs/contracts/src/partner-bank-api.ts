import { z } from 'zod';
import { currencySchema, positiveAmountMinorSchema } from './money';

/**
 * The partner bank's REST API as the partner adapter speaks it and the sandbox bank serves it
 * (JSON, `Authorization: Bearer <bank api key>`). Amounts are integer minor units in decimal
 * strings, as everywhere on the platform. Shaped like real payout APIs: the caller's idempotency
 * key is our payout id, the end-to-end id is our reference the bank echoes on every status and
 * statement entry (ISO 20022 `EndToEndId`, at most 35 characters).
 */

/** ISO 20022 external status reason codes the bank answers with (a subset; others may appear). */
export const BANK_REASON_CODES = {
  AC01: 'incorrect account number',
  AC04: 'closed account number',
  AC06: 'blocked account',
  AG01: 'transaction forbidden',
  AM02: 'not allowed amount',
  AM04: 'insufficient funds',
  AM05: 'duplication',
  BE04: 'missing creditor address',
  MD07: 'end customer deceased',
  MS03: 'reason not specified',
  RC01: 'bank identifier incorrect',
  RR04: 'regulatory reason',
} as const;
/** Any four-character ISO reason code; the table above names the ones the sandbox produces. */
export const bankReasonCodeSchema = z.string().regex(/^[A-Z0-9]{4}$/);

export const endToEndIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9\-_.:/]{1,35}$/, 'ISO 20022 EndToEndId: 1 to 35 characters');
const ibanSchema = z.string().regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/, 'an electronic IBAN');
const partyName = z.string().min(1).max(140);

/** `POST /v1/transfers` with `Idempotency-Key: <our payout id>` (kept 30 days by the bank). */
export const bankTransferRequestSchema = z.strictObject({
  /** Our settlement account at the bank, the debtor. */
  debtorIban: ibanSchema,
  creditor: z.strictObject({ iban: ibanSchema, name: partyName }),
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
  endToEndId: endToEndIdSchema,
  remittanceInformation: z.string().max(140).nullable(),
});
export type BankTransferRequest = z.infer<typeof bankTransferRequestSchema>;

/** accepted -> booked | rejected; booked -> returned (later, with a reason code). */
export const BANK_TRANSFER_STATUSES = ['accepted', 'booked', 'rejected', 'returned'] as const;
export type BankTransferStatus = (typeof BANK_TRANSFER_STATUSES)[number];

export const bankTransferSchema = z.strictObject({
  id: z.string().min(1).max(64),
  status: z.enum(BANK_TRANSFER_STATUSES),
  endToEndId: endToEndIdSchema,
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
  /** Set for rejected and returned transfers. */
  reasonCode: bankReasonCodeSchema.nullable(),
  createdAt: z.iso.datetime(),
  bookedAt: z.iso.datetime().nullable(),
  returnedAt: z.iso.datetime().nullable(),
});
export type BankTransfer = z.infer<typeof bankTransferSchema>;

/** `GET /v1/transfers?endToEndId=...`: every transfer with that reference (normally one). */
export const bankTransferListSchema = z.strictObject({ data: z.array(bankTransferSchema) });

/** The bank's error body (RFC 9457 problem+json with a stable code). */
export const bankProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
});

/**
 * Webhooks, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`
 * headers; the `standardwebhooks` package), retried with backoff until answered 2xx, so a receiver
 * sees duplicates and any order: `webhook-id` identifies a delivery's event, not an attempt.
 */
export const bankWebhookSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('credit.booked'),
    timestamp: z.iso.datetime(),
    data: z.strictObject({
      /** The bank's transaction id: what a deposit is idempotent by. */
      transactionId: z.string().min(1).max(64),
      /** The virtual IBAN of one of our accounts, the creditor. */
      creditorIban: ibanSchema,
      debtor: z.strictObject({ iban: ibanSchema, name: partyName }),
      amountMinor: positiveAmountMinorSchema,
      currency: currencySchema,
      endToEndId: endToEndIdSchema,
      remittanceInformation: z.string().max(140).nullable(),
      bookedAt: z.iso.datetime(),
    }),
  }),
  z.strictObject({
    /** A transfer we sent changed status (booked, rejected, returned). */
    type: z.literal('transfer.updated'),
    timestamp: z.iso.datetime(),
    data: bankTransferSchema,
  }),
]);
export type BankWebhook = z.infer<typeof bankWebhookSchema>;

/**
 * The sandbox bank's `POST /admin/credits` (its admin key, optional `Idempotency-Key`): a customer
 * wires money to one of our virtual IBANs; the bank books it and delivers `credit.booked`.
 */
export const sandboxCreditRequestSchema = z.strictObject({
  creditorIban: ibanSchema,
  debtor: z.strictObject({ iban: ibanSchema, name: partyName }),
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
  endToEndId: endToEndIdSchema,
  remittanceInformation: z.string().max(140).nullable().default(null),
});
export type SandboxCreditRequest = z.infer<typeof sandboxCreditRequestSchema>;
