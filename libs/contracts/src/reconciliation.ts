import { z } from 'zod';
import { currencySchema, positiveAmountMinorSchema, signedAmountMinorSchema } from './money';

/**
 * `reconciliation.commands.v1` (the gateway's admin API and schedules -> the reconciler; the
 * partner adapter takes `FetchStatement`) and `reconciliation.events.v1` (the reconciler -> the
 * gateway's review read models, internal teams). Both keyed by `reconciliationKey(partnerId)`: the
 * partner's settlement account, so one partner's runs and exception actions are serialised.
 *
 * Every action is an event (audit): runs, matches' bookings, exceptions opened, each proposal,
 * approval, decline and resolution, and every refused action with why.
 */
const id = z.string().min(1).max(200);
const actor = z.string().min(1).max(200);
const note = z.string().trim().min(1).max(2000);
const at = z.iso.datetime();
const date = z.iso.date();

export const reconciliationKey = (partnerId: string) => `reconciliation:${partnerId}`;

export const EXCEPTION_CLASSES = [
  'missing_at_bank',
  'missing_in_ledger',
  'amount_mismatch',
  'status_mismatch',
] as const;
export const MATCH_CLASSES = ['matched', ...EXCEPTION_CLASSES] as const;
export type ExceptionClass = (typeof EXCEPTION_CLASSES)[number];

/**
 * `accept_bank`: book the bank's side (the reconciler derives the ledger command from the class:
 * a difference journal, a return...): moves money, so a second admin must approve it.
 * `dismiss`: nothing to book (the bank will correct it, a known timing difference...): a note.
 */
export const RESOLUTIONS = ['accept_bank', 'dismiss'] as const;
export const MONEY_MOVING_RESOLUTIONS: ReadonlySet<string> = new Set(['accept_bank']);

export const RECONCILIATION_COMMAND_SCHEMAS = {
  /** Reconcile a day now (the schedule sends the same for yesterday). */
  RunReconciliation: z.strictObject({
    requestId: id,
    partnerId: id,
    date,
    requestedBy: actor,
  }),
  /** Fetch and ingest the bank's statement of a day now (the partner adapter). */
  FetchStatement: z.strictObject({ requestId: id, partnerId: id, date, requestedBy: actor }),
  ProposeResolution: z.strictObject({
    exceptionId: id,
    actionId: id,
    resolution: z.enum(RESOLUTIONS),
    note,
    actor,
  }),
  /** The checker: must be another actor than the proposal's. */
  ApproveResolution: z.strictObject({ exceptionId: id, actionId: id, proposalId: id, actor }),
  DeclineResolution: z.strictObject({ exceptionId: id, actionId: id, proposalId: id, note, actor }),
} as const;

/** Our record of money moving at the bank, as the reconciler knows it from the ledger's events. */
export const ledgerSideSchema = z.strictObject({
  kind: z.enum(['payout', 'deposit']),
  /** The payment id of a payout, the deposit id of a deposit. */
  recordId: id,
  accountId: id,
  creditDebit: z.enum(['CRDT', 'DBIT']),
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
  /** processing, pending, completed, failed, returned (payouts); completed (deposits). */
  status: z.string(),
  endToEndId: z.string().nullable(),
  bankTransactionId: z.string().nullable(),
  /** The day our side says the money moved (settled, returned, deposited), YYYY-MM-DD. */
  date: date.nullable(),
});

/** A bank statement's entry (or one transaction of a batch entry) as an exception shows it. */
export const bankSideSchema = z.strictObject({
  statementId: id,
  entryReference: id,
  creditDebit: z.enum(['CRDT', 'DBIT']),
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
  bookingDate: date,
  reversal: z.boolean(),
  endToEndId: z.string().nullable(),
  transactionId: z.string().nullable(),
  reasonCode: z.string().nullable(),
});

export const matchingRuleSchema = z.strictObject({
  ruleId: id,
  version: z.number().int().positive(),
  strategy: z.enum(['1:1', '1:N', 'N:1']),
  description: z.string(),
  /** The rule's explicit parameters: date window in days, tolerance in minor units per partner... */
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

const classCounts = z.strictObject(
  Object.fromEntries(MATCH_CLASSES.map((name) => [name, z.number().int().min(0)])) as Record<
    (typeof MATCH_CLASSES)[number],
    z.ZodNumber
  >,
);

export const RECONCILIATION_EVENT_SCHEMAS = {
  /** The rules in force (published when their set or a version changes). */
  MatchingRulesActivated: z.strictObject({ rules: z.array(matchingRuleSchema), at }),
  ReconciliationRunCompleted: z.strictObject({
    runId: id,
    partnerId: id,
    date,
    trigger: z.enum(['schedule', 'on_demand', 'statement']),
    requestedBy: actor,
    statementIds: z.array(id),
    /** False when no complete statement of the day was there: nothing was classified. */
    statementFound: z.boolean(),
    linesTotal: z.number().int().min(0),
    counts: classCounts,
    /** Matches per `ruleId@version`. */
    matchedByRule: z.record(z.string(), z.number().int().min(0)),
    /** Matched lines per 10,000 lines (integer basis points). */
    matchRateBasisPoints: z.number().int().min(0).max(10_000),
    newExceptions: z.number().int().min(0),
    autoResolved: z.number().int().min(0),
    differencesBooked: z.number().int().min(0),
    durationMs: z.number().int().min(0),
    startedAt: at,
    at,
  }),
  /** A pending payout the statement proves booked (settle) or taken back (release). */
  PaymentResolvedFromStatement: z.strictObject({
    runId: id,
    paymentId: id,
    accountId: id,
    resolution: z.enum(['settle', 'release']),
    evidence: bankSideSchema,
    ledgerCommandId: id,
    at,
  }),
  /** A difference within a rule's tolerance, booked as its own journal (never absorbed). */
  ToleratedDifferenceBooked: z.strictObject({
    runId: id,
    ruleId: id,
    ruleVersion: z.number().int().positive(),
    recordId: id,
    accountId: id,
    amountMinor: signedAmountMinorSchema,
    currency: currencySchema,
    evidence: bankSideSchema,
    ledgerCommandId: id,
    at,
  }),
  ExceptionOpened: z.strictObject({
    exceptionId: id,
    runId: id,
    partnerId: id,
    class: z.enum(EXCEPTION_CLASSES),
    currency: currencySchema,
    /** The value of what is unmatched (the difference for an amount mismatch). */
    amountAtRiskMinor: positiveAmountMinorSchema,
    /** The statement day where it was found. */
    date,
    ledgerSide: z.array(ledgerSideSchema),
    bankSide: z.array(bankSideSchema),
    /** What accepting the bank's side would book, in words, for the reviewer. */
    acceptBankEffect: z.string().nullable(),
    detectedAt: at,
  }),
  ExceptionResolutionProposed: z.strictObject({
    exceptionId: id,
    proposalId: id,
    resolution: z.enum(RESOLUTIONS),
    note,
    actor,
    requiresApproval: z.boolean(),
    at,
  }),
  ExceptionResolutionApproved: z.strictObject({
    exceptionId: id,
    proposalId: id,
    actor,
    /** The new ledger command the resolution sent (never an edit). */
    ledgerCommandId: id.nullable(),
    at,
  }),
  ExceptionResolutionDeclined: z.strictObject({
    exceptionId: id,
    proposalId: id,
    actor,
    note,
    at,
  }),
  ExceptionResolved: z.strictObject({
    exceptionId: id,
    resolution: z.enum([...RESOLUTIONS, 'matched_later']),
    note,
    resolvedBy: actor,
    approvedBy: actor.nullable(),
    ledgerCommandId: id.nullable(),
    at,
  }),
  /** An action the reconciler refused, with a stable code (same_actor, not_open, no_proposal...). */
  ExceptionActionRefused: z.strictObject({
    exceptionId: id,
    actionId: id,
    actor,
    code: z.string(),
    detail: z.string(),
    at,
  }),
} as const;

export type ReconciliationCommandType = keyof typeof RECONCILIATION_COMMAND_SCHEMAS;
export type ReconciliationCommand = {
  [K in ReconciliationCommandType]: {
    type: K;
    data: z.infer<(typeof RECONCILIATION_COMMAND_SCHEMAS)[K]>;
  };
}[ReconciliationCommandType];
export type ReconciliationEventType = keyof typeof RECONCILIATION_EVENT_SCHEMAS;
export type ReconciliationEvent = {
  [K in ReconciliationEventType]: {
    type: K;
    data: z.infer<(typeof RECONCILIATION_EVENT_SCHEMAS)[K]>;
  };
}[ReconciliationEventType];
export type LedgerSide = z.infer<typeof ledgerSideSchema>;
export type BankSide = z.infer<typeof bankSideSchema>;
export type MatchingRule = z.infer<typeof matchingRuleSchema>;

export function parseReconciliationCommand(
  type: string,
  data: unknown,
): ReconciliationCommand | null {
  if (!Object.hasOwn(RECONCILIATION_COMMAND_SCHEMAS, type)) return null;
  const parsed = RECONCILIATION_COMMAND_SCHEMAS[type as ReconciliationCommandType].safeParse(data);
  return parsed.success ? ({ type, data: parsed.data } as ReconciliationCommand) : null;
}

export function parseReconciliationEvent(type: string, data: unknown): ReconciliationEvent | null {
  if (!Object.hasOwn(RECONCILIATION_EVENT_SCHEMAS, type)) return null;
  const parsed = RECONCILIATION_EVENT_SCHEMAS[type as ReconciliationEventType].safeParse(data);
  return parsed.success ? ({ type, data: parsed.data } as ReconciliationEvent) : null;
}
