import { ExceptionClass } from '@rtp/contracts';
import { BankLine, LedgerRecord } from './records';
import { ActiveRule, RuleId, RuleParameters } from './matching-rules';

/** What accepting the bank's side of an exception books: a new ledger command, never an edit. */
export type AcceptBankEffect =
  | {
      command: 'BookPartnerDifference';
      /** The customer account it concerns, or null when none (booked on the partner's key). */
      accountId: string | null;
      /** > 0: the bank moved that much more out of our settlement account than the ledger. */
      amountMinor: bigint;
      reasonCode: string;
    }
  | { command: 'ReturnPayout'; reasonCode: string }
  | { command: 'ResolvePayment'; resolution: 'settle' | 'release' };

export interface LineMatch {
  lineId: string;
  recordId: string;
  rule: ActiveRule;
}

export interface StatementResolution {
  record: LedgerRecord;
  resolution: 'settle' | 'release';
  evidence: BankLine;
}

export interface ToleratedDifference {
  record: LedgerRecord;
  amountMinor: bigint;
  evidence: BankLine;
  rule: ActiveRule;
}

export interface FoundException {
  exceptionClass: ExceptionClass;
  /** The record id, or the line id when the bank's line has no record of ours. */
  key: string;
  currency: string;
  amountAtRiskMinor: bigint;
  records: LedgerRecord[];
  lines: BankLine[];
  acceptBank: AcceptBankEffect | null;
}

export interface DayOutcome {
  matches: LineMatch[];
  resolutions: StatementResolution[];
  differences: ToleratedDifference[];
  exceptions: FoundException[];
}

export interface DayInput {
  partnerId: string;
  /** The statement day being reconciled. */
  date: string;
  lines: readonly BankLine[];
  /** Every record a line names, the open (processing, pending) ones and those due on the day. */
  records: readonly LedgerRecord[];
  rules: ReadonlyMap<RuleId, number>;
  parameters: RuleParameters;
}

export function emptyOutcome(): DayOutcome {
  return { matches: [], resolutions: [], differences: [], exceptions: [] };
}

/** Sums with a check: a statement's amounts cannot leave the signed 64-bit range unnoticed. */
export function sumMinor(lines: readonly BankLine[]): bigint {
  let total = 0n;
  for (const line of lines) total += line.amountMinor;
  if (total > 9_223_372_036_854_775_807n) throw new Error('statement amounts overflow 64 bits');
  return total;
}

export const absolute = (value: bigint) => (value < 0n ? -value : value);
