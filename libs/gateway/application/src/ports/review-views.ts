import type { BankSide, ExceptionClass, LedgerSide, MatchingRule } from '@rtp/contracts';

/**
 * The review queue's read models, projected from reconciliation.events.v1. An exception is `open`
 * until a resolution is proposed, `awaiting_approval` while a proposal that moves money waits for
 * its checker (a decline opens it again), and `resolved` once the reconciler resolved it.
 */
export const EXCEPTION_STATUSES = ['open', 'awaiting_approval', 'resolved'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

export interface ExceptionSummary {
  exceptionId: string;
  partnerId: string;
  runId: string;
  class: ExceptionClass;
  currency: string;
  amountAtRiskMinor: string;
  /** The statement day where it was found. */
  date: string;
  status: ExceptionStatus;
  acceptBankEffect: string | null;
  detectedAt: Date;
  resolvedAt: Date | null;
}

export interface ExceptionResolution {
  resolution: string;
  note: string;
  resolvedBy: string;
  approvedBy: string | null;
  ledgerCommandId: string | null;
}

export interface ProposalView {
  proposalId: string;
  resolution: string;
  note: string;
  actor: string;
  requiresApproval: boolean;
  status: 'pending' | 'approved' | 'declined';
  decidedBy: string | null;
  decisionNote: string | null;
  ledgerCommandId: string | null;
  proposedAt: Date;
  decidedAt: Date | null;
}

/** An action sent through the gateway, and what became of it at the reconciler. */
export interface ReviewActionView {
  actionId: string;
  kind: ReviewActionKind;
  actor: string;
  proposalId: string | null;
  status: 'sent' | 'done' | 'refused';
  refusalCode: string | null;
  refusalDetail: string | null;
  createdAt: Date;
}
export type ReviewActionKind = 'propose' | 'approve' | 'decline';

/** One event of the exception's history, as the reconciler recorded it (the audit trail). */
export interface AuditEntry {
  eventId: string;
  type: string;
  actor: string | null;
  at: Date;
  detail: Record<string, unknown>;
}

export interface ExceptionDetail extends ExceptionSummary {
  ledgerSide: LedgerSide[];
  bankSide: BankSide[];
  resolution: ExceptionResolution | null;
  proposals: ProposalView[];
  actions: ReviewActionView[];
  audit: AuditEntry[];
}

export interface ExceptionFilter {
  status: ExceptionStatus | null;
  class: ExceptionClass | null;
  currency: string | null;
  partnerId: string | null;
  /** Only exceptions detected at least this long before `now`. */
  minAgeHours: number | null;
  now: Date;
}

export interface RunView {
  runId: string;
  partnerId: string;
  date: string;
  trigger: string;
  requestedBy: string;
  statementFound: boolean;
  linesTotal: number;
  counts: Record<string, number>;
  matchedByRule: Record<string, number>;
  matchRateBasisPoints: number;
  newExceptions: number;
  autoResolved: number;
  differencesBooked: number;
  durationMs: number;
  startedAt: Date;
  completedAt: Date;
}

export interface RuleView extends MatchingRule {
  /** Whether this version is in the set the reconciler activated last. */
  active: boolean;
  activatedAt: Date;
}
