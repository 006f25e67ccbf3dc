import { z } from 'zod';
import { currencySchema, positiveAmountMinorSchema } from './money';
import { bankReasonCodeSchema } from './partner-bank-api';

/**
 * `partner.events.v1`: what the partner adapter learns about a payout at the bank (and about money
 * the bank received for us), keyed by the platform account ID like every topic. The ledger's events
 * stay the truth of the money; these are the bank-side lifecycle the gateway shows (a payout is
 * `pending` from its first submission until the ledger settles or releases it) and internal teams
 * consume. Beneficiary IBANs and names never appear here in full.
 */
const id = z.string().min(1).max(100);
const payoutFields = { paymentId: id, accountId: id, partnerId: id };
const at = z.iso.datetime();

export const PARTNER_EVENT_SCHEMAS = {
  /** The request left for the bank under our idempotency key (attempt 1, or a resend of the same key). */
  PayoutSubmitted: z.strictObject({ ...payoutFields, attempt: z.number().int().positive(), at }),
  /** The bank gave its id for the transfer (accepted, not yet final). */
  PayoutAcceptedByBank: z.strictObject({ ...payoutFields, bankTransferId: z.string(), at }),
  /** Sent, answer lost (timeout, reset, 5xx, breaker timeout): the funds stay held; we ask the bank. */
  PayoutOutcomeUnknown: z.strictObject({
    ...payoutFields,
    cause: z.enum(['timeout', 'connection_reset', 'server_error', 'breaker_timeout']),
    at,
  }),
  /** Still unknown past the deadline: listed for review, left to reconciliation; never failed by us. */
  PayoutEscalated: z.strictObject({ ...payoutFields, pendingSince: at, at }),
  /** The bank booked it (the ledger's SettlePayout follows) or rejected it (ReleasePayout follows). */
  PayoutBookedByBank: z.strictObject({ ...payoutFields, bankTransferId: z.string(), at }),
  PayoutRejectedByBank: z.strictObject({
    ...payoutFields,
    bankTransferId: z.string().nullable(),
    reasonCode: bankReasonCodeSchema,
    at,
  }),
  /** A booked payout came back (the ledger's ReturnPayout credits the customer once). */
  PayoutReturnedByBank: z.strictObject({
    ...payoutFields,
    bankTransferId: z.string(),
    reasonCode: bankReasonCodeSchema,
    at,
  }),
  /** Money for an IBAN that is none of our accounts': held in suspense, listed for review. */
  DepositToSuspense: z.strictObject({
    /** The suspense account (the key of the message). */
    accountId: id,
    partnerId: id,
    bankTransactionId: z.string(),
    /** Masked, e.g. `DE89********3000`. */
    creditorIbanMasked: z.string(),
    amountMinor: positiveAmountMinorSchema,
    currency: currencySchema,
    at,
  }),
} as const;

export type PartnerEventType = keyof typeof PARTNER_EVENT_SCHEMAS;
export type PartnerEventData<K extends PartnerEventType> = z.infer<
  (typeof PARTNER_EVENT_SCHEMAS)[K]
>;
export type PartnerEvent = {
  [K in PartnerEventType]: { type: K; data: PartnerEventData<K> };
}[PartnerEventType];

export function parsePartnerEvent(type: string, data: unknown): PartnerEvent | null {
  if (!Object.hasOwn(PARTNER_EVENT_SCHEMAS, type)) return null;
  const parsed = PARTNER_EVENT_SCHEMAS[type as PartnerEventType].safeParse(data);
  return parsed.success ? ({ type, data: parsed.data } as PartnerEvent) : null;
}
