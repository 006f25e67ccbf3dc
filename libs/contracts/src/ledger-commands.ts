import { z } from 'zod';
import { currencySchema, positiveAmountMinorSchema } from './money';

const id = z.string().min(1).max(100);
const metadataSchema = z.record(z.string().max(40), z.string().max(500)).nullable();

export const openAccountSchema = z.strictObject({
  accountId: id,
  currency: currencySchema,
  ownerId: id,
  name: z.string().max(200).nullable(),
  metadata: metadataSchema,
});

export const depositSchema = z.strictObject({
  depositId: id,
  accountId: id,
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
  partnerId: id,
  reference: z.string().max(140),
});

const transferFields = {
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

export const LEDGER_COMMAND_SCHEMAS = {
  OpenAccount: openAccountSchema,
  Deposit: depositSchema,
  TransferFunds: transferFundsSchema,
  CreditTransfer: creditTransferSchema,
  RefundTransfer: refundTransferSchema,
} as const;

export type LedgerCommandType = keyof typeof LEDGER_COMMAND_SCHEMAS;

export type LedgerCommand = {
  [K in LedgerCommandType]: { type: K; data: z.infer<(typeof LEDGER_COMMAND_SCHEMAS)[K]> };
}[LedgerCommandType];

export type LedgerCommandData<K extends LedgerCommandType> = z.infer<
  (typeof LEDGER_COMMAND_SCHEMAS)[K]
>;

export function isLedgerCommandType(type: string): type is LedgerCommandType {
  return Object.hasOwn(LEDGER_COMMAND_SCHEMAS, type);
}

/**
 * Deterministic command ids: a retry of the same step of the same payment carries the same id,
 * so the ledger's dedupe gives it exactly one effect.
 */
export const commandIds = {
  openAccount: (accountId: string) => `open-account:${accountId}`,
  deposit: (depositId: string) => `deposit:${depositId}`,
  transferFunds: (paymentId: string) => `transfer:${paymentId}:debit`,
  creditTransfer: (paymentId: string) => `transfer:${paymentId}:credit`,
  refundTransfer: (paymentId: string) => `transfer:${paymentId}:refund`,
};

export type ParsedCommand = { ok: true; command: LedgerCommand } | { ok: false; reason: string };

export function parseLedgerCommand(type: string, data: unknown): ParsedCommand {
  if (!isLedgerCommandType(type)) return { ok: false, reason: `unknown command type ${type}` };
  const parsed = LEDGER_COMMAND_SCHEMAS[type].safeParse(data);
  if (!parsed.success) return { ok: false, reason: `invalid ${type}: ${parsed.error.message}` };
  return { ok: true, command: { type, data: parsed.data } as LedgerCommand };
}
