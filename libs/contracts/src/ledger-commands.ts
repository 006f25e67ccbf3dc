import { z } from 'zod';
import { LEDGER_COMMAND_SCHEMAS } from './ledger-command-schemas';

export * from './ledger-command-schemas';

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
  reservePayout: (paymentId: string) => `payout:${paymentId}:reserve`,
  settlePayout: (paymentId: string) => `payout:${paymentId}:settle`,
  releasePayout: (paymentId: string) => `payout:${paymentId}:release`,
  returnPayout: (paymentId: string) => `payout:${paymentId}:return`,
  resolvePayment: (paymentId: string) => `payout:${paymentId}:resolve`,
  adjust: (adjustmentId: string) => `adjust:${adjustmentId}`,
  bookPartnerDifference: (differenceId: string) => `partner-difference:${differenceId}`,
  /** Freezes are keyed by an operator request id, so a retried request applies once. */
  accountAction: (accountId: string, action: string, requestId: string) =>
    `${action}:${accountId}:${requestId}`,
};

/**
 * Our reference for the bank (ISO 20022 EndToEndId, at most 35 characters) for a payout: its
 * payment id without the hyphens (a UUID becomes 32 hexadecimal digits), so either names the other.
 */
export function payoutEndToEndId(paymentId: string): string {
  const compact = paymentId.replaceAll('-', '');
  if (!/^[A-Za-z0-9_.:/]{1,35}$/.test(compact)) {
    throw new Error(`payment id ${paymentId} gives no ISO 20022 EndToEndId`);
  }
  return compact;
}

export type ParsedCommand = { ok: true; command: LedgerCommand } | { ok: false; reason: string };

export function parseLedgerCommand(type: string, data: unknown): ParsedCommand {
  if (!isLedgerCommandType(type)) return { ok: false, reason: `unknown command type ${type}` };
  const parsed = LEDGER_COMMAND_SCHEMAS[type].safeParse(data);
  if (!parsed.success) return { ok: false, reason: `invalid ${type}: ${parsed.error.message}` };
  return { ok: true, command: { type, data: parsed.data } as LedgerCommand };
}
