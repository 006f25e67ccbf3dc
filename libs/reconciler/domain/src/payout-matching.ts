import { BankLine, LedgerRecord } from './records';
import { ActiveRule, RULE_IDS, RuleId } from './matching-rules';
import { DayInput, DayOutcome, FoundException, absolute, sumMinor } from './day-outcome';

type BankOutcome = 'booked' | 'rejected' | 'returned';

/** The bank's word on a payout from its lines: a reversal proves a rejection, a credit a return. */
export function bankOutcomeOf(lines: readonly BankLine[]): BankOutcome {
  if (lines.some((line) => line.reversal)) return 'rejected';
  if (lines.some((line) => line.creditDebit === 'CRDT')) return 'returned';
  return 'booked';
}

export function activeRule(input: DayInput, ruleId: RuleId): ActiveRule {
  const version = input.rules.get(ruleId);
  if (version === undefined) throw new Error(`matching rule ${ruleId} is not active`);
  return { ruleId, version };
}

function matchAll(out: DayOutcome, record: LedgerRecord, lines: BankLine[], rule: ActiveRule) {
  for (const line of lines)
    out.matches.push({ lineId: line.lineId, recordId: record.recordId, rule });
}

function bookedRule(debits: readonly BankLine[]): RuleId {
  if (debits.length > 1) return RULE_IDS.splitBooking;
  if (debits[0].transactionCount > 1) return RULE_IDS.batchEntry;
  return RULE_IDS.payoutByEndToEnd;
}

export function withinTolerance(input: DayInput, record: LedgerRecord, difference: bigint) {
  const { feeTolerancePartnerId, feeToleranceMinor } = input.parameters;
  return (
    difference !== 0n &&
    record.partnerId === feeTolerancePartnerId &&
    absolute(difference) <= feeToleranceMinor
  );
}

function exception(
  exceptionClass: FoundException['exceptionClass'],
  record: LedgerRecord,
  lines: BankLine[],
  amountAtRiskMinor: bigint,
  acceptBank: FoundException['acceptBank'],
): FoundException {
  return {
    exceptionClass,
    key: record.recordId,
    currency: record.currency,
    amountAtRiskMinor,
    records: [record],
    lines,
    acceptBank,
  };
}

/**
 * A booked amount against ours: equal is a match by `ruleId`, a tolerated fee a match by the
 * tolerance rule with its difference booked, anything else an amount mismatch.
 */
export function compareAmounts(
  input: DayInput,
  out: DayOutcome,
  record: LedgerRecord,
  lines: BankLine[],
  difference: bigint,
  ruleId: RuleId,
): boolean {
  if (difference === 0n) {
    matchAll(out, record, lines, activeRule(input, ruleId));
    return true;
  }
  if (withinTolerance(input, record, difference)) {
    const rule = activeRule(input, RULE_IDS.feeTolerance);
    matchAll(out, record, lines, rule);
    out.differences.push({ record, amountMinor: difference, evidence: lines[0], rule });
    return true;
  }
  out.exceptions.push(
    exception('amount_mismatch', record, lines, absolute(difference), {
      command: 'BookPartnerDifference',
      accountId: record.accountId,
      amountMinor: difference,
      reasonCode: 'partner_amount_difference',
    }),
  );
  return false;
}

function resolvePending(input: DayInput, out: DayOutcome, record: LedgerRecord, lines: BankLine[]) {
  if (bankOutcomeOf(lines) === 'rejected') {
    matchAll(out, record, lines, activeRule(input, RULE_IDS.pendingProven));
    out.resolutions.push({ record, resolution: 'release', evidence: reversalOf(lines) });
    return;
  }
  const debits = lines.filter((line) => line.creditDebit === 'DBIT' && !line.reversal);
  if (debits.length === 0) {
    // Only the return credit of a booking on an earlier day: booked, then returned.
    matchAll(out, record, lines, activeRule(input, RULE_IDS.pendingProven));
    out.resolutions.push({ record, resolution: 'settle', evidence: lines[0] });
    return;
  }
  const difference = sumMinor(debits) - record.amountMinor;
  // An amount beyond tolerance proves nothing about our payout: it waits, as an exception.
  if (compareAmounts(input, out, record, lines, difference, RULE_IDS.pendingProven)) {
    out.resolutions.push({ record, resolution: 'settle', evidence: debits[0] });
  }
}

const reversalOf = (lines: readonly BankLine[]) => lines.find((line) => line.reversal) ?? lines[0];

/** One payout of ours against the statement's lines that carry its end-to-end id. */
export function matchPayout(
  input: DayInput,
  out: DayOutcome,
  record: LedgerRecord,
  lines: BankLine[],
): void {
  if (record.status === 'processing' || record.status === 'pending') {
    resolvePending(input, out, record, lines);
    return;
  }
  const outcome = bankOutcomeOf(lines);
  const debits = lines.filter((line) => line.creditDebit === 'DBIT' && !line.reversal);
  if (record.status === 'completed' && outcome === 'booked') {
    compareAmounts(
      input,
      out,
      record,
      lines,
      sumMinor(debits) - record.amountMinor,
      bookedRule(debits),
    );
  } else if (record.status === 'completed') {
    const reason = reversalOf(lines).reasonCode?.toLowerCase() ?? 'unknown';
    out.exceptions.push(
      exception('status_mismatch', record, lines, record.amountMinor, {
        command: 'ReturnPayout',
        reasonCode: `bank_${outcome}_${reason}`,
      }),
    );
  } else if (record.status === 'failed' && outcome === 'booked') {
    out.exceptions.push(
      exception('status_mismatch', record, lines, record.amountMinor, {
        command: 'BookPartnerDifference',
        accountId: record.accountId,
        amountMinor: sumMinor(debits),
        reasonCode: 'partner_booked_released_payout',
      }),
    );
  } else if (record.status === 'failed') {
    matchAll(out, record, lines, activeRule(input, RULE_IDS.rejectedPair));
  } else {
    const ruleId = outcome === 'rejected' ? RULE_IDS.rejectedPair : RULE_IDS.returnedPayout;
    matchAll(out, record, lines, activeRule(input, ruleId));
  }
}
