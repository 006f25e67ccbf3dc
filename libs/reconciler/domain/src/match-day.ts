import { BankLine, LedgerRecord, daysBetween, shiftDay } from './records';
import { RULE_IDS } from './matching-rules';
import { DayInput, DayOutcome, FoundException, emptyOutcome, sumMinor } from './day-outcome';
import { compareAmounts, matchPayout } from './payout-matching';

interface Group {
  record: LedgerRecord;
  lines: BankLine[];
}

/**
 * Reconciles one statement day in memory: the records are indexed by end-to-end id (payouts) and
 * by the bank's transaction id (deposits) in hash maps, each line finds its record in O(1), and
 * each record is decided once with all of its lines (1:1, a batch entry's transaction 1:N, split
 * bookings N:1). Lines without a record are missing in the ledger; records due on the day's
 * window that no line and no earlier run matched are missing at the bank.
 */
export function matchDay(input: DayInput): DayOutcome {
  const out = emptyOutcome();
  const groups = groupLines(input, out);
  for (const { record, lines } of groups.values()) {
    if (record.kind === 'payout') matchPayout(input, out, record, lines);
    else matchDeposit(input, out, record, lines);
  }
  findMissingAtBank(input, out, groups);
  assertOutcome(input, out);
  return out;
}

function groupLines(input: DayInput, out: DayOutcome): Map<string, Group> {
  const byEndToEnd = new Map<string, LedgerRecord>();
  const byTransaction = new Map<string, LedgerRecord>();
  for (const record of input.records) {
    if (record.kind === 'payout' && record.endToEndId) byEndToEnd.set(record.endToEndId, record);
    if (record.kind === 'deposit' && record.bankTransactionId) {
      byTransaction.set(record.bankTransactionId, record);
    }
  }
  const groups = new Map<string, Group>();
  for (const line of input.lines) {
    const record =
      (line.endToEndId !== null ? byEndToEnd.get(line.endToEndId) : undefined) ??
      (line.transactionId !== null ? byTransaction.get(line.transactionId) : undefined);
    if (!record || !sameTerms(input, record, line)) {
      out.exceptions.push(missingInLedger(input, line, record));
      continue;
    }
    const group = groups.get(record.recordId);
    if (group) group.lines.push(line);
    else groups.set(record.recordId, { record, lines: [line] });
  }
  return groups;
}

/** Same currency, and a booking date within the window of ours (an open payout has none yet). */
function sameTerms(input: DayInput, record: LedgerRecord, line: BankLine): boolean {
  if (record.currency !== line.currency) return false;
  if (record.date === null || line.creditDebit !== record.creditDebit) return true;
  return Math.abs(daysBetween(record.date, line.bookingDate)) <= input.parameters.dateWindowDays;
}

function missingInLedger(
  input: DayInput,
  line: BankLine,
  candidate: LedgerRecord | undefined,
): FoundException {
  const outflow = line.creditDebit === 'DBIT';
  return {
    exceptionClass: 'missing_in_ledger',
    key: line.lineKey,
    currency: line.currency,
    amountAtRiskMinor: line.amountMinor,
    records: candidate ? [candidate] : [],
    lines: [line],
    acceptBank: {
      command: 'BookPartnerDifference',
      accountId: null,
      amountMinor: outflow ? line.amountMinor : -line.amountMinor,
      reasonCode: outflow ? 'partner_unrecorded_debit' : 'partner_unrecorded_credit',
    },
  };
}

function matchDeposit(input: DayInput, out: DayOutcome, record: LedgerRecord, lines: BankLine[]) {
  const credited =
    sumMinor(lines.filter((line) => line.creditDebit === 'CRDT')) -
    sumMinor(lines.filter((line) => line.creditDebit === 'DBIT'));
  // Positive: the bank credited less than we did (more out of the settlement account than ours).
  const difference = record.amountMinor - credited;
  compareAmounts(input, out, record, lines, difference, RULE_IDS.depositByTransaction);
}

/** Settled records dated at the far end of the window that nothing has matched by now. */
function findMissingAtBank(input: DayInput, out: DayOutcome, groups: Map<string, Group>) {
  const due = shiftDay(input.date, -input.parameters.dateWindowDays);
  for (const record of input.records) {
    const settled = record.status === 'completed' || record.status === 'returned';
    if (!settled || record.date !== due || record.matchedBefore || groups.has(record.recordId)) {
      continue;
    }
    const outflow = record.creditDebit === 'DBIT';
    out.exceptions.push({
      exceptionClass: 'missing_at_bank',
      key: record.recordId,
      currency: record.currency,
      amountAtRiskMinor: record.amountMinor,
      records: [record],
      lines: [],
      acceptBank: {
        command: 'BookPartnerDifference',
        accountId: record.accountId,
        amountMinor: outflow ? -record.amountMinor : record.amountMinor,
        reasonCode: outflow ? 'partner_missing_debit' : 'partner_missing_credit',
      },
    });
  }
}

/** Every line ends up matched or in exactly one exception: never dropped, never counted twice. */
function assertOutcome(input: DayInput, out: DayOutcome): void {
  const seen = new Set<string>();
  for (const match of out.matches) seen.add(match.lineId);
  for (const found of out.exceptions) for (const line of found.lines) seen.add(line.lineId);
  const accounted = out.matches.length + out.exceptions.reduce((n, e) => n + e.lines.length, 0);
  if (seen.size !== input.lines.length || accounted !== input.lines.length) {
    throw new Error(
      `reconciliation lost or doubled lines: ${input.lines.length} in, ${seen.size} distinct, ` +
        `${accounted} accounted`,
    );
  }
}
