import { z } from 'zod';
import { FREEZE_MODES, transferFields as transferCommandFields } from './ledger-command-schemas';
import { currencySchema, positiveAmountMinorSchema, signedAmountMinorSchema } from './money';

/** Stable rejection codes; clients and internal teams branch on them, so they never change meaning. */
export const LEDGER_REJECTION_CODES = [
  'account_not_found',
  'account_already_exists',
  'account_frozen',
  'account_closed',
  'currency_mismatch',
  'insufficient_funds',
  'limit_exceeded',
  'same_account',
  'account_not_empty',
  'hold_not_found',
  'duplicate_payment',
  /** A return names no payout of this account that was settled (pending, released or unknown). */
  'payout_not_settled',
  /** A return's amount, currency or partner differ from the settled payout's. */
  'payout_return_mismatch',
  /** A balance or a hold total would leave the signed 64-bit range: decided before anything is written. */
  'amount_out_of_range',
  /** The command could not be applied for a reason that is not transient; it was isolated and refused. */
  'processing_failed',
] as const;
export type LedgerRejectionCode = (typeof LEDGER_REJECTION_CODES)[number];
const rejectionCodeSchema = z.enum(LEDGER_REJECTION_CODES);

export function isLedgerRejectionCode(value: string): value is LedgerRejectionCode {
  return (LEDGER_REJECTION_CODES as readonly string[]).includes(value);
}

export const balanceSchema = z.strictObject({
  postedMinor: signedAmountMinorSchema,
  pendingMinor: signedAmountMinorSchema,
  availableMinor: signedAmountMinorSchema,
});
export type BalanceSnapshot = z.infer<typeof balanceSchema>;

const id = z.string().min(1).max(100);
/** Position of the event in its account's stream; projections apply each sequence once. */
const accountSequence = z.number().int().positive();
/** Rejections about an account that does not exist have no stream position. */
const rejectionSequence = accountSequence.nullable();
const metadataSchema = z.record(z.string(), z.string()).nullable();

const freezeStateSchema = z.enum(['none', ...FREEZE_MODES]);

const freezeChangeFields = {
  accountId: id,
  /** The mode this command asked for, and the account's freeze after it. */
  mode: z.enum(FREEZE_MODES),
  freeze: freezeStateSchema,
  reasonCode: z.string(),
  actor: z.string(),
  accountSequence,
};

const payoutFields = {
  paymentId: id,
  accountId: id,
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
  partnerId: id,
};

const transferFields = { ...transferCommandFields, accountSequence };

const beneficiaryEventSchema = z.strictObject({ iban: z.string(), name: z.string() });

export const LEDGER_EVENT_SCHEMAS = {
  AccountOpened: z.strictObject({
    accountId: id,
    currency: currencySchema,
    ownerId: id,
    name: z.string().nullable(),
    metadata: metadataSchema,
    status: z.literal('active'),
    /** ISO 4217 minor-unit exponent, so consumers can format amounts (EUR 2, JPY 0). */
    currencyExponent: z.number().int().min(0).max(4),
    overdraftLimitMinor: z.string(),
    perDebitLimitMinor: z.string().nullable(),
    /** Optional: events written before it was added lack it (an additive change within v1). */
    virtualIban: z.string().nullable().optional(),
    balance: balanceSchema,
    accountSequence,
  }),
  AccountFrozen: z.strictObject(freezeChangeFields),
  AccountUnfrozen: z.strictObject(freezeChangeFields),
  AccountClosed: z.strictObject({
    accountId: id,
    reasonCode: z.string(),
    actor: z.string(),
    accountSequence,
  }),
  /** A command about an account that was refused and has no more specific rejection event. */
  AccountCommandRejected: z.strictObject({
    accountId: id,
    commandType: z.string(),
    paymentId: id.nullable(),
    failureCode: rejectionCodeSchema,
    accountSequence: rejectionSequence,
  }),
  AccountOpenRejected: z.strictObject({
    accountId: id,
    ownerId: id,
    failureCode: rejectionCodeSchema,
    accountSequence: rejectionSequence,
  }),
  DepositCompleted: z.strictObject({
    depositId: id,
    accountId: id,
    amountMinor: positiveAmountMinorSchema,
    currency: currencySchema,
    reference: z.string(),
    balance: balanceSchema,
    accountSequence,
  }),
  DepositRejected: z.strictObject({
    depositId: id,
    accountId: id,
    amountMinor: positiveAmountMinorSchema,
    currency: currencySchema,
    /** Optional: events written before it was added lack it (an additive change within v1). */
    reference: z.string().optional(),
    failureCode: rejectionCodeSchema,
    accountSequence: rejectionSequence,
  }),
  TransferDebited: z.strictObject({
    ...transferFields,
    initiatedBy: id,
    reference: z.string().nullable(),
    metadata: metadataSchema,
    balance: balanceSchema,
  }),
  TransferRejected: z.strictObject({
    paymentId: id,
    sourceAccountId: id,
    destinationAccountId: id,
    amountMinor: positiveAmountMinorSchema,
    currency: currencySchema,
    initiatedBy: id,
    /** Optional: events written before they were added lack them (an additive change within v1). */
    reference: z.string().nullable().optional(),
    metadata: metadataSchema.optional(),
    failureCode: rejectionCodeSchema,
    accountSequence: rejectionSequence,
  }),
  TransferCompleted: z.strictObject({ ...transferFields, balance: balanceSchema }),
  PayoutReserved: z.strictObject({
    ...payoutFields,
    initiatedBy: id,
    reference: z.string().nullable(),
    /** Optional: events written before they were added lack them (an additive change within v1). */
    beneficiary: beneficiaryEventSchema.optional(),
    endToEndId: z.string().optional(),
    balance: balanceSchema,
    accountSequence,
  }),
  PayoutRejected: z.strictObject({
    ...payoutFields,
    initiatedBy: id,
    /** Optional: events written before it was added lack it (an additive change within v1). */
    reference: z.string().nullable().optional(),
    failureCode: rejectionCodeSchema,
    accountSequence: rejectionSequence,
  }),
  PayoutSettled: z.strictObject({
    ...payoutFields,
    partnerReference: z.string(),
    resolvedBy: z.string().nullable(),
    balance: balanceSchema,
    accountSequence,
  }),
  PayoutReleased: z.strictObject({
    ...payoutFields,
    reasonCode: z.string(),
    resolvedBy: z.string().nullable(),
    balance: balanceSchema,
    accountSequence,
  }),
  /** A settled payout the bank returned: credited back to the customer from settlement, once. */
  PayoutReturned: z.strictObject({
    ...payoutFields,
    partnerReference: z.string(),
    reasonCode: z.string(),
    balance: balanceSchema,
    accountSequence,
  }),
  AccountAdjusted: z.strictObject({
    adjustmentId: id,
    accountId: id,
    amountMinor: signedAmountMinorSchema,
    currency: currencySchema,
    reasonCode: z.string(),
    note: z.string(),
    actor: z.string(),
    balance: balanceSchema,
    accountSequence,
  }),
  /**
   * A difference between the partner bank and the ledger's settlement booked by reconciliation: a
   * journal between the partner's settlement shard and the adjustment shard. Recorded in the stream
   * of the account it concerns (its balance does not change), or outside every stream when it
   * concerns none (the key is the partner's reconciliation key).
   */
  PartnerDifferenceBooked: z.strictObject({
    differenceId: id,
    accountId: id,
    partnerId: id,
    currency: currencySchema,
    amountMinor: signedAmountMinorSchema,
    reasonCode: z.string(),
    evidence: z.string(),
    actor: z.string(),
    settlementAccountId: id,
    accountSequence: rejectionSequence,
  }),
  TransferRefunded: z.strictObject({
    ...transferFields,
    failureCode: rejectionCodeSchema,
    balance: balanceSchema,
  }),
} as const;

export type LedgerEventType = keyof typeof LEDGER_EVENT_SCHEMAS;
export type LedgerEventData<K extends LedgerEventType> = z.infer<(typeof LEDGER_EVENT_SCHEMAS)[K]>;
export type LedgerEvent = {
  [K in LedgerEventType]: { type: K; data: LedgerEventData<K> };
}[LedgerEventType];

/** Whether `type`'s data carries its stream account's balance after the event (money-moving events). */
export function ledgerEventCarriesBalance(type: LedgerEventType): boolean {
  return 'balance' in LEDGER_EVENT_SCHEMAS[type].shape;
}

export function parseLedgerEvent(type: string, data: unknown): LedgerEvent | null {
  if (!Object.hasOwn(LEDGER_EVENT_SCHEMAS, type)) return null;
  const parsed = LEDGER_EVENT_SCHEMAS[type as LedgerEventType].safeParse(data);
  return parsed.success ? ({ type, data: parsed.data } as LedgerEvent) : null;
}

/**
 * Why `data` is not a valid `type` event by the contract, or null when it is: the ledger checks every
 * event it decides before writing it (a mismatch is a bug in the ledger, never the command's fault).
 */
export function ledgerEventProblem(type: string, data: unknown): string | null {
  if (!Object.hasOwn(LEDGER_EVENT_SCHEMAS, type)) return `unknown event type ${type}`;
  const parsed = LEDGER_EVENT_SCHEMAS[type as LedgerEventType].safeParse(data);
  return parsed.success ? null : z.prettifyError(parsed.error);
}
