import { MatchingRule } from '@rtp/contracts';

/**
 * The matching rules, explicit and versioned. A rule's version is part of its identity: every
 * match records `ruleId@version`, and a change of a rule's parameters is a new version (the
 * store assigns it), so a match can always be traced to the exact rule that made it.
 */
export const RULE_IDS = {
  /** A settled payout and one debit line with its end-to-end id, same amount and currency. */
  payoutByEndToEnd: 'payout-end-to-end',
  /** A deposit and one credit line with the bank's transaction id. */
  depositByTransaction: 'deposit-transaction-id',
  /** One batch entry (several transactions), each transaction one of our payouts. */
  batchEntry: 'batch-entry',
  /** Several debit lines of one end-to-end id that add up to one payout. */
  splitBooking: 'split-booking',
  /** A payout we released and the bank's debit with its reversal (the bank rejected it). */
  rejectedPair: 'rejected-reversal-pair',
  /** A payout we returned and the bank's return credit. */
  returnedPayout: 'returned-payout',
  /** A partner's fee within tolerance: matched, the difference booked as its own journal. */
  feeTolerance: 'fee-tolerance',
  /** A pending payout whose outcome the statement proves: resolved (settle or release). */
  pendingProven: 'pending-proven-by-statement',
} as const;
export type RuleId = (typeof RULE_IDS)[keyof typeof RULE_IDS];

export interface RuleParameters {
  /** How many days a booking date may differ from our date, and how long a record may wait. */
  dateWindowDays: number;
  /** The partner whose fee is tolerated, and up to how many minor units. */
  feeTolerancePartnerId: string;
  feeToleranceMinor: bigint;
}

export interface ActiveRule {
  ruleId: RuleId;
  version: number;
}

export type RuleDefinition = Omit<MatchingRule, 'version'>;

/** The rules' definitions for these parameters (their versions come from the store). */
export function ruleDefinitions(parameters: RuleParameters): RuleDefinition[] {
  const window = { dateWindowDays: parameters.dateWindowDays };
  const keys = { keys: 'endToEndId, currency', amount: 'equal' };
  return [
    rule(RULE_IDS.payoutByEndToEnd, '1:1', 'payout by end-to-end id', { ...keys, ...window }),
    rule(RULE_IDS.depositByTransaction, '1:1', 'deposit by bank transaction id', {
      keys: 'transactionId, currency',
      amount: 'equal',
      ...window,
    }),
    rule(RULE_IDS.batchEntry, '1:N', 'batch entry: each transaction a payout', keys),
    rule(RULE_IDS.splitBooking, 'N:1', 'lines of one end-to-end id adding up to a payout', keys),
    rule(RULE_IDS.rejectedPair, '1:1', 'released payout, debit and reversal at the bank', keys),
    rule(RULE_IDS.returnedPayout, '1:1', 'returned payout and the bank return credit', keys),
    rule(RULE_IDS.feeTolerance, '1:1', 'fee within tolerance, booked as a difference', {
      partnerId: parameters.feeTolerancePartnerId,
      toleranceMinor: parameters.feeToleranceMinor.toString(),
      ...window,
    }),
    rule(RULE_IDS.pendingProven, '1:1', 'pending payout resolved by the statement', keys),
  ];
}

function rule(
  ruleId: RuleId,
  strategy: MatchingRule['strategy'],
  description: string,
  parameters: MatchingRule['parameters'],
): RuleDefinition {
  return { ruleId, strategy, description, parameters };
}

export const ruleLabel = (rule: ActiveRule) => `${rule.ruleId}@${rule.version}`;
