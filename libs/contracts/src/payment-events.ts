import { z } from 'zod';
import { currencySchema, positiveAmountMinorSchema } from './money';

/**
 * `payments.events.v1`: one message per status change of a payment (a transfer, a deposit, a
 * payout), for internal teams and the gateway's webhooks, so that nobody has to reassemble payments
 * from the ledger's account legs or poll. Produced by the gateway's projection through its outbox in
 * the transaction that changes the status (exactly once per change: the message id is
 * `paymentEventId(paymentId, status)`), keyed by the account the payment belongs to (the source
 * account of a transfer or payout, the credited account of a deposit), so one payment's messages
 * are in status order on one partition. CloudEvents envelope like every topic.
 */
const id = z.string().min(1).max(200);
const at = z.iso.datetime();

export const PAYMENT_EVENT_STATUSES = [
  'processing',
  'pending',
  'completed',
  'rejected',
  'failed',
  'returned',
] as const;

/** The payment's public representation: the fields of `GET /v1/payments/{id}` (admin's view). */
export const publicPaymentSchema = z.strictObject({
  id,
  kind: z.enum(['transfer', 'deposit', 'payout']),
  status: z.enum(PAYMENT_EVENT_STATUSES),
  sourceAccountId: id.nullable(),
  destinationAccountId: id.nullable(),
  amount: positiveAmountMinorSchema,
  currency: currencySchema,
  reference: z.string().nullable(),
  metadata: z.record(z.string(), z.string()).nullable(),
  failureCode: z.string().nullable(),
  initiatedBy: z.enum(['admin', 'account_owner']),
  /** Payouts: whom it pays (IBAN masked), our end-to-end id, the bank's reference. */
  beneficiary: z.strictObject({ ibanMasked: z.string(), name: z.string() }).nullable(),
  endToEndId: z.string().nullable(),
  bankReference: z.string().nullable(),
  createdAt: at,
  updatedAt: at,
});

const paymentEventData = z.strictObject({
  payment: publicPaymentSchema,
  /** The client (API key owner) whose payment it is: webhooks go to this client's endpoints only. */
  clientId: id,
  /** 1 for the first status the payment reached, then +1 per change: the order per payment. */
  statusSequence: z.number().int().positive(),
  /** The ids of the ledger (or partner adapter) events this change derives from. */
  derivedFrom: z.array(id).min(1),
  at,
});

export const PAYMENT_EVENT_TYPES = [
  'PaymentProcessing',
  'PaymentCompleted',
  'PaymentRejected',
  'DepositCompleted',
  'DepositRejected',
  'PayoutProcessing',
  'PayoutPending',
  'PayoutCompleted',
  'PayoutRejected',
  'PayoutFailed',
  'PayoutReturned',
] as const;
export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number];

export const PAYMENT_EVENT_SCHEMAS = Object.fromEntries(
  PAYMENT_EVENT_TYPES.map((type) => [type, paymentEventData]),
) as Record<PaymentEventType, typeof paymentEventData>;

export type PaymentEventData = z.infer<typeof paymentEventData>;
export type PublicPayment = z.infer<typeof publicPaymentSchema>;

/** The message type of a payment of this kind reaching this status. */
export function paymentEventType(
  kind: PublicPayment['kind'],
  status: PublicPayment['status'],
): PaymentEventType | null {
  const capitalised = `${status[0].toUpperCase()}${status.slice(1)}`;
  const prefix = kind === 'transfer' ? 'Payment' : kind === 'deposit' ? 'Deposit' : 'Payout';
  const type = `${prefix}${capitalised}`;
  return (PAYMENT_EVENT_TYPES as readonly string[]).includes(type)
    ? (type as PaymentEventType)
    : null;
}

/** One message per (payment, status): a redelivered change has the same id. */
export const paymentEventId = (paymentId: string, status: string) =>
  `payment-event:${paymentId}:${status}`;

export function parsePaymentEvent(
  type: string,
  data: unknown,
): { type: PaymentEventType; data: PaymentEventData } | null {
  if (!(PAYMENT_EVENT_TYPES as readonly string[]).includes(type)) return null;
  const parsed = paymentEventData.safeParse(data);
  return parsed.success ? { type: type as PaymentEventType, data: parsed.data } : null;
}
