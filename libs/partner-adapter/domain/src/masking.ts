/**
 * Beneficiary and debtor details never appear in full in logs, metrics or events: an IBAN keeps its
 * country and check digits and its last four characters (`DE89********3000`), a name its initial.
 */
export function maskIban(iban: string): string {
  const compact = iban.replace(/\s+/g, '');
  if (compact.length <= 8) return '*'.repeat(compact.length);
  return `${compact.slice(0, 4)}${'*'.repeat(compact.length - 8)}${compact.slice(-4)}`;
}

export function maskName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) return '';
  return `${trimmed[0]}${'*'.repeat(Math.max(2, trimmed.length - 1))}`;
}

/**
 * The pino paths redacted in every log line of the adapter, wherever an IBAN or a name could be
 * carried by a logged object (a request body, a bank request, a webhook payload).
 */
export const SENSITIVE_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.body',
  'detail.creditor',
  'detail.debtor',
  'detail.iban',
  'detail.creditorIban',
  'detail.debtorIban',
  'detail.beneficiary',
  'detail.data.creditorIban',
  'detail.data.debtor',
  '*.creditor',
  '*.debtor',
  '*.iban',
  '*.creditorIban',
  '*.debtorIban',
  '*.beneficiary',
];
