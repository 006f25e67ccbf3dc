import { z } from 'zod';
import { currencySchema, positiveAmountMinorSchema, signedAmountMinorSchema } from './money';
import { endToEndIdSchema } from './partner-bank-api';

const id = z.string().min(1).max(100);
const metadataSchema = z.record(z.string().max(40), z.string().max(500)).nullable();
/** Why an operator or system acted: required on every administrative command. */
const reasonCode = z.string().regex(/^[a-z][a-z0-9_]{1,59}$/, 'a snake_case reason code');
const actor = z.string().min(1).max(100);
/** An IBAN in its electronic form (no spaces, upper case); its check digits are the gateway's check. */
export const ibanSchema = z
  .string()
  .regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/, 'an electronic IBAN');
/** Who a payout pays: the creditor the partner bank credits. */
export const beneficiarySchema = z.strictObject({
  iban: ibanSchema,
  name: z.string().min(1).max(140),
});

export const FREEZE_MODES = ['debits', 'credits', 'all'] as const;
export type FreezeMode = (typeof FREEZE_MODES)[number];

export const openAccountSchema = z.strictObject({
  accountId: id,
  currency: currencySchema,
  ownerId: id,
  name: z.string().max(200).nullable(),
  metadata: metadataSchema,
  /** How far below zero the available balance may go; absent means 0. */
  overdraftLimitMinor: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,18})$/)
    .optional(),
  /** The largest single debit (transfer or payout); absent means no limit. */
  perDebitLimitMinor: positiveAmountMinorSchema.optional(),
  /**
   * The IBAN at the partner bank that credits this account (deposits, issue #10), assigned by the
   * gateway; null or absent when it has none (senders written before it omit it).
   */
  virtualIban: ibanSchema.nullable().optional(),
});

export const freezeAccountSchema = z.strictObject({
  accountId: id,
  mode: z.enum(FREEZE_MODES),
  reasonCode,
  actor,
});
export const unfreezeAccountSchema = freezeAccountSchema;
export const closeAccountSchema = z.strictObject({ accountId: id, reasonCode, actor });

export const depositSchema = z.strictObject({
  depositId: id,
  accountId: id,
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
  partnerId: id,
  reference: z.string().max(140),
});

/** The fields every transfer command and event names (the events add their stream position). */
export const transferFields = {
  paymentId: id,
  sourceAccountId: id,
  destinationAccountId: id,
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
};

export const transferFundsSchema = z.strictObject({
  ...transferFields,
  initiatedBy: id,
  reference: z.string().max(140).nullable(),
  metadata: metadataSchema,
});

/** Second leg of a transfer, keyed by the destination account. */
export const creditTransferSchema = z.strictObject(transferFields);

/** Returns in-flight money to the source when the destination cannot take it. */
export const refundTransferSchema = z.strictObject({
  ...transferFields,
  failureCode: z.string().max(60),
});

/** Holds funds for a payout to a partner bank; the partner's outcome settles or releases the hold. */
export const reservePayoutSchema = z.strictObject({
  paymentId: id,
  accountId: id,
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
  partnerId: id,
  initiatedBy: id,
  reference: z.string().max(140).nullable(),
  beneficiary: beneficiarySchema,
  /** Our reference for the bank (ISO 20022 EndToEndId), derived from the payment id. */
  endToEndId: endToEndIdSchema,
});
export const settlePayoutSchema = z.strictObject({
  paymentId: id,
  accountId: id,
  partnerReference: z.string().max(140),
});
export const releasePayoutSchema = z.strictObject({ paymentId: id, accountId: id, reasonCode });

/**
 * The bank returned a settled payout: the money comes back from the partner's settlement account to
 * the customer. Only ever sent under `commandIds.returnPayout(paymentId)`, so it has one effect.
 */
export const returnPayoutSchema = z.strictObject({
  paymentId: id,
  accountId: id,
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
  partnerId: id,
  partnerReference: z.string().max(140),
  reasonCode,
});

/** Reconciliation's verdict on a pending payout, with the evidence that decided it. */
export const resolvePaymentSchema = z.strictObject({
  paymentId: id,
  accountId: id,
  resolution: z.enum(['settle', 'release']),
  evidence: z.string().min(1).max(500),
  actor,
  /**
   * The bank's ISO 20022 reason for a release the statement proves (the reversal's `RtrInf`): the
   * payout then fails with `bank_rejected_<code>` as if the bank had told us. Optional: an
   * additive change within v1; without it the release reads `reconciliation`.
   */
  bankReasonCode: z
    .string()
    .regex(/^[A-Z0-9]{4}$/)
    .optional(),
});

/** An administrative correcting journal against the adjustments account; never a rewrite. */
export const adjustSchema = z.strictObject({
  adjustmentId: id,
  accountId: id,
  amountMinor: signedAmountMinorSchema.refine(
    (value) => value !== '0' && value !== '-0',
    'must not be zero',
  ),
  currency: currencySchema,
  reasonCode,
  note: z.string().min(1).max(500),
  actor,
});

/**
 * A difference between the partner bank and the ledger's settlement, found by reconciliation (a
 * fee within a rule's tolerance, or a correction a second admin approved): its own journal between
 * the partner's settlement shard and the adjustment shard of the key's partition, never absorbed.
 * `accountId` is the message key: the customer account the difference concerns, or the partner's
 * reconciliation key when it concerns none (an entry of the bank's we have no record of).
 * `amountMinor` > 0: the bank moved that much more out of our settlement account than the ledger.
 */
export const bookPartnerDifferenceSchema = z.strictObject({
  differenceId: id,
  accountId: id,
  partnerId: id,
  currency: currencySchema,
  amountMinor: signedAmountMinorSchema.refine(
    (value) => value !== '0' && value !== '-0',
    'must not be zero',
  ),
  reasonCode,
  evidence: z.string().min(1).max(500),
  actor,
});

export const LEDGER_COMMAND_SCHEMAS = {
  OpenAccount: openAccountSchema,
  FreezeAccount: freezeAccountSchema,
  UnfreezeAccount: unfreezeAccountSchema,
  CloseAccount: closeAccountSchema,
  Deposit: depositSchema,
  TransferFunds: transferFundsSchema,
  CreditTransfer: creditTransferSchema,
  RefundTransfer: refundTransferSchema,
  ReservePayout: reservePayoutSchema,
  SettlePayout: settlePayoutSchema,
  ReleasePayout: releasePayoutSchema,
  ReturnPayout: returnPayoutSchema,
  ResolvePayment: resolvePaymentSchema,
  Adjust: adjustSchema,
  BookPartnerDifference: bookPartnerDifferenceSchema,
} as const;
