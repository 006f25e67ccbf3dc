import {
  AuditEntry,
  ExceptionDetail,
  ExceptionSummary,
  OperatorView,
  ProposalView,
  ReviewActionView,
  RuleView,
  RunView,
  SentReviewAction,
} from '@rtp/gateway/application';

const HOUR_MS = 3_600_000;
const iso = (at: Date | null) => (at === null ? null : at.toISOString());

/** Ageing buckets, as the reconciler's metric of open exceptions counts them. */
export function ageBucket(ageMs: number): string {
  const hours = ageMs / HOUR_MS;
  if (hours < 24) return 'under_1d';
  if (hours < 72) return '1d_to_3d';
  if (hours < 168) return '3d_to_7d';
  return 'over_7d';
}

export function exceptionSummaryRepresentation(exception: ExceptionSummary, now: Date) {
  // A resolved exception's age stops at its resolution.
  const until = exception.resolvedAt ?? now;
  const ageMs = Math.max(0, until.getTime() - exception.detectedAt.getTime());
  return {
    id: exception.exceptionId,
    partnerId: exception.partnerId,
    runId: exception.runId,
    class: exception.class,
    status: exception.status,
    currency: exception.currency,
    amountAtRisk: exception.amountAtRiskMinor,
    date: exception.date,
    acceptBankEffect: exception.acceptBankEffect,
    detectedAt: exception.detectedAt.toISOString(),
    resolvedAt: iso(exception.resolvedAt),
    ageSeconds: Math.floor(ageMs / 1000),
    ageBucket: ageBucket(ageMs),
  };
}

const proposalRepresentation = (proposal: ProposalView) => ({
  id: proposal.proposalId,
  resolution: proposal.resolution,
  note: proposal.note,
  actor: proposal.actor,
  requiresApproval: proposal.requiresApproval,
  status: proposal.status,
  decidedBy: proposal.decidedBy,
  decisionNote: proposal.decisionNote,
  ledgerCommandId: proposal.ledgerCommandId,
  proposedAt: proposal.proposedAt.toISOString(),
  decidedAt: iso(proposal.decidedAt),
});

const actionRepresentation = (action: ReviewActionView) => ({
  id: action.actionId,
  kind: action.kind,
  actor: action.actor,
  proposalId: action.proposalId,
  status: action.status,
  refusal:
    action.refusalCode === null ? null : { code: action.refusalCode, detail: action.refusalDetail },
  createdAt: action.createdAt.toISOString(),
});

const auditRepresentation = (entry: AuditEntry) => ({
  eventId: entry.eventId,
  type: entry.type,
  actor: entry.actor,
  at: entry.at.toISOString(),
  detail: entry.detail,
});

export function exceptionRepresentation(exception: ExceptionDetail, now: Date) {
  return {
    ...exceptionSummaryRepresentation(exception, now),
    ledgerSide: exception.ledgerSide.map(({ amountMinor, ...rest }) => ({
      ...rest,
      amount: amountMinor,
    })),
    bankSide: exception.bankSide.map(({ amountMinor, ...rest }) => ({
      ...rest,
      amount: amountMinor,
    })),
    resolution: exception.resolution,
    proposals: exception.proposals.map(proposalRepresentation),
    actions: exception.actions.map(actionRepresentation),
    audit: exception.audit.map(auditRepresentation),
  };
}

export const sentActionRepresentation = (sent: SentReviewAction) => ({
  actionId: sent.actionId,
  exceptionId: sent.exceptionId,
  kind: sent.kind,
  proposalId: sent.proposalId,
  status: 'sent',
});

export function runRepresentation({ runId, startedAt, completedAt, ...run }: RunView) {
  return {
    id: runId,
    ...run,
    startedAt: startedAt.toISOString(),
    completedAt: completedAt.toISOString(),
  };
}

export const ruleRepresentation = (rule: RuleView) => ({
  ...rule,
  activatedAt: rule.activatedAt.toISOString(),
});

export const operatorRepresentation = (operator: OperatorView) => ({
  name: operator.name,
  keyPrefix: operator.keyPrefix,
  createdBy: operator.createdBy,
  createdAt: operator.createdAt.toISOString(),
  revokedAt: iso(operator.revokedAt),
});
