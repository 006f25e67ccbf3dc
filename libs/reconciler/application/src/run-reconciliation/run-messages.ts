import { MATCH_CLASSES, reconciliationKey } from '@rtp/contracts';
import {
  DayOutcome,
  FoundException,
  exceptionIdOf,
  ruleLabel,
  toleratedDifferenceIdOf,
} from '@rtp/reconciler/domain';
import {
  OutgoingMessage,
  eventIds,
  ledgerCommand,
  reconciliationEvent,
} from '../outgoing/outgoing-message';
import { bankSideOf, describeEffect, evidenceOf, ledgerSideOf } from './sides';

export const RECONCILER_ACTOR = 'reconciler';

export interface RunFacts {
  runId: string;
  partnerId: string;
  date: string;
  trigger: 'schedule' | 'on_demand' | 'statement';
  requestedBy: string;
  statementIds: string[];
  linesTotal: number;
  startedAt: Date;
}

/** The exception as opened: its id and the event with both sides. */
export function openedException(facts: RunFacts, found: FoundException, at: Date) {
  const exceptionId = exceptionIdOf(facts.partnerId, found.exceptionClass, found.key);
  const message = reconciliationEvent(
    'ExceptionOpened',
    eventIds.exceptionOpened(exceptionId),
    facts.partnerId,
    {
      exceptionId,
      runId: facts.runId,
      partnerId: facts.partnerId,
      class: found.exceptionClass,
      currency: found.currency,
      amountAtRiskMinor: found.amountAtRiskMinor.toString(),
      date: facts.date,
      ledgerSide: found.records.map(ledgerSideOf),
      bankSide: found.lines.map(bankSideOf),
      acceptBankEffect: describeEffect(found.acceptBank, found.currency),
      detectedAt: at.toISOString(),
    },
    facts.runId,
    at,
  );
  return { exceptionId, message };
}

/** The ledger commands and events of a pending payout the statement proved. */
export function resolutionMessages(facts: RunFacts, outcome: DayOutcome, at: Date) {
  const messages: OutgoingMessage[] = [];
  for (const { record, resolution, evidence } of outcome.resolutions) {
    const command = ledgerCommand(
      'ResolvePayment',
      {
        paymentId: record.recordId,
        accountId: record.accountId,
        resolution,
        evidence: evidenceOf(evidence),
        actor: RECONCILER_ACTOR,
        ...(resolution === 'release' &&
        evidence.reasonCode &&
        /^[A-Z0-9]{4}$/.test(evidence.reasonCode)
          ? { bankReasonCode: evidence.reasonCode }
          : {}),
      },
      facts.runId,
      at,
    );
    messages.push(command);
    messages.push(
      reconciliationEvent(
        'PaymentResolvedFromStatement',
        eventIds.resolvedFromStatement(record.recordId),
        facts.partnerId,
        {
          runId: facts.runId,
          paymentId: record.recordId,
          accountId: record.accountId,
          resolution,
          evidence: bankSideOf(evidence),
          ledgerCommandId: command.messageId,
          at: at.toISOString(),
        },
        facts.runId,
        at,
      ),
    );
  }
  return messages;
}

/** Each tolerated difference booked as its own journal, never absorbed. */
export function differenceMessages(facts: RunFacts, outcome: DayOutcome, at: Date) {
  const messages: OutgoingMessage[] = [];
  for (const { record, amountMinor, evidence, rule } of outcome.differences) {
    const differenceId = toleratedDifferenceIdOf(facts.partnerId, record.recordId);
    const command = ledgerCommand(
      'BookPartnerDifference',
      {
        differenceId,
        accountId: record.accountId || reconciliationKey(facts.partnerId),
        partnerId: facts.partnerId,
        currency: record.currency,
        amountMinor: amountMinor.toString(),
        reasonCode: 'partner_fee_tolerated',
        evidence: evidenceOf(evidence),
        actor: RECONCILER_ACTOR,
      },
      facts.runId,
      at,
    );
    messages.push(command);
    messages.push(
      reconciliationEvent(
        'ToleratedDifferenceBooked',
        eventIds.differenceBooked(differenceId),
        facts.partnerId,
        {
          runId: facts.runId,
          ruleId: rule.ruleId,
          ruleVersion: rule.version,
          recordId: record.recordId,
          accountId: record.accountId,
          amountMinor: amountMinor.toString(),
          currency: record.currency,
          evidence: bankSideOf(evidence),
          ledgerCommandId: command.messageId,
          at: at.toISOString(),
        },
        facts.runId,
        at,
      ),
    );
  }
  return messages;
}

export interface RunSummary {
  counts: Record<(typeof MATCH_CLASSES)[number], number>;
  matchedByRule: Record<string, number>;
  matchRateBasisPoints: number;
}

export function summarize(linesTotal: number, outcome: DayOutcome): RunSummary {
  const counts = Object.fromEntries(MATCH_CLASSES.map((name) => [name, 0])) as RunSummary['counts'];
  counts.matched = outcome.matches.length;
  for (const found of outcome.exceptions) counts[found.exceptionClass] += 1;
  const matchedByRule: Record<string, number> = {};
  for (const match of outcome.matches) {
    const label = ruleLabel(match.rule);
    matchedByRule[label] = (matchedByRule[label] ?? 0) + 1;
  }
  const matchRateBasisPoints =
    linesTotal === 0 ? 10_000 : Math.floor((outcome.matches.length * 10_000) / linesTotal);
  return { counts, matchedByRule, matchRateBasisPoints };
}

export function runCompletedMessage(
  facts: RunFacts,
  summary: RunSummary,
  tallies: { newExceptions: number; autoResolved: number; differencesBooked: number },
  at: Date,
): OutgoingMessage {
  return reconciliationEvent(
    'ReconciliationRunCompleted',
    eventIds.runCompleted(facts.runId),
    facts.partnerId,
    {
      runId: facts.runId,
      partnerId: facts.partnerId,
      date: facts.date,
      trigger: facts.trigger,
      requestedBy: facts.requestedBy,
      statementIds: facts.statementIds,
      statementFound: facts.statementIds.length > 0,
      linesTotal: facts.linesTotal,
      ...summary,
      ...tallies,
      durationMs: Math.max(0, at.getTime() - facts.startedAt.getTime()),
      startedAt: facts.startedAt.toISOString(),
      at: at.toISOString(),
    },
    facts.runId,
    at,
  );
}

/** A missing-at-bank exception resolved because a later statement showed the record. */
export function matchedLaterMessage(
  facts: RunFacts,
  exceptionId: string,
  at: Date,
): OutgoingMessage {
  return reconciliationEvent(
    'ExceptionResolved',
    eventIds.exceptionResolved(exceptionId),
    facts.partnerId,
    {
      exceptionId,
      resolution: 'matched_later',
      note: `matched by run ${facts.runId}`,
      resolvedBy: RECONCILER_ACTOR,
      approvedBy: null,
      ledgerCommandId: null,
      at: at.toISOString(),
    },
    facts.runId,
    at,
  );
}
