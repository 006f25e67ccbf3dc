import { BankSide, LedgerSide } from '@rtp/contracts';
import { AcceptBankEffect, BankLine, LedgerRecord } from '@rtp/reconciler/domain';

export const bankSideOf = (line: BankLine): BankSide => ({
  statementId: line.statementId,
  entryReference: line.entryReference,
  creditDebit: line.creditDebit,
  amountMinor: line.amountMinor.toString(),
  currency: line.currency,
  bookingDate: line.bookingDate,
  reversal: line.reversal,
  endToEndId: line.endToEndId,
  transactionId: line.transactionId,
  reasonCode: line.reasonCode,
});

export const ledgerSideOf = (record: LedgerRecord): LedgerSide => ({
  kind: record.kind,
  recordId: record.recordId,
  accountId: record.accountId,
  creditDebit: record.creditDebit,
  amountMinor: record.amountMinor.toString(),
  currency: record.currency,
  status: record.status,
  endToEndId: record.endToEndId,
  bankTransactionId: record.bankTransactionId,
  date: record.date,
});

/** The statement entry as evidence for a ledger command (at most 500 characters). */
export const evidenceOf = (line: BankLine) =>
  `statement ${line.statementId} entry ${line.entryReference} transaction ${line.transactionIndex}`.slice(
    0,
    500,
  );

/** What accepting the bank's side would book, in words, for the reviewer. */
export function describeEffect(effect: AcceptBankEffect | null, currency: string): string | null {
  if (!effect) return null;
  if (effect.command === 'ReturnPayout') {
    return `ReturnPayout: credit the customer back (${effect.reasonCode})`;
  }
  if (effect.command === 'ResolvePayment') return `ResolvePayment: ${effect.resolution}`;
  const direction = effect.amountMinor > 0n ? 'more out of' : 'more into';
  const amount = effect.amountMinor < 0n ? -effect.amountMinor : effect.amountMinor;
  return (
    `BookPartnerDifference: ${amount} ${currency} minor units ${direction} the settlement ` +
    `account than the ledger (${effect.reasonCode})`
  );
}
