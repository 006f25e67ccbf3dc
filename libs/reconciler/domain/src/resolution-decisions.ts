import { MONEY_MOVING_RESOLUTIONS, ReconciliationCommand } from '@rtp/contracts';
import { AcceptBankEffect } from './day-outcome';

export interface PendingProposal {
  proposalId: string;
  resolution: 'accept_bank' | 'dismiss';
  note: string;
  actor: string;
}

/** An exception as the review commands see it, locked in their transaction. */
export interface ExceptionState {
  exceptionId: string;
  status: 'open' | 'resolved';
  acceptBank: AcceptBankEffect | null;
  proposal: PendingProposal | null;
}

type ReviewCommand = Exclude<
  ReconciliationCommand,
  { type: 'RunReconciliation' } | { type: 'FetchStatement' }
>;

/** Stable codes of refused review actions (ExceptionActionRefused.code). */
export type RefusalCode =
  | 'exception_not_found'
  | 'not_open'
  | 'proposal_pending'
  | 'nothing_to_book'
  | 'no_proposal'
  | 'same_actor';

export type ReviewDecision =
  | { kind: 'refused'; code: RefusalCode; detail: string }
  /** `resolved`: a dismissal needs no second admin and resolves at once. */
  | { kind: 'proposed'; proposal: PendingProposal; requiresApproval: boolean; resolved: boolean }
  | {
      kind: 'approved';
      proposal: PendingProposal;
      approver: string;
      effect: AcceptBankEffect | null;
    }
  | { kind: 'declined'; proposal: PendingProposal; actor: string; note: string };

const refused = (code: RefusalCode, detail: string): ReviewDecision => ({
  kind: 'refused',
  code,
  detail,
});

/**
 * Maker-checker on an exception: a resolution is proposed with a note by one admin; one that
 * moves money (accept_bank) resolves only when another admin approves it, and then as a new
 * ledger command; a dismissal resolves with its note at once. One proposal waits at a time.
 */
export function decideReview(state: ExceptionState | null, command: ReviewCommand): ReviewDecision {
  if (!state) return refused('exception_not_found', `no exception ${command.data.exceptionId}`);
  if (state.status !== 'open') return refused('not_open', `${state.exceptionId} is resolved`);
  if (command.type === 'ProposeResolution') {
    if (state.proposal) {
      return refused('proposal_pending', `proposal ${state.proposal.proposalId} awaits a decision`);
    }
    const { resolution, note, actor, actionId } = command.data;
    if (resolution === 'accept_bank' && !state.acceptBank) {
      return refused('nothing_to_book', 'this exception has no bank side to accept');
    }
    const requiresApproval = MONEY_MOVING_RESOLUTIONS.has(resolution);
    const proposal = { proposalId: actionId, resolution, note, actor };
    return { kind: 'proposed', proposal, requiresApproval, resolved: !requiresApproval };
  }
  const { proposal } = state;
  if (!proposal || proposal.proposalId !== command.data.proposalId) {
    return refused('no_proposal', `no waiting proposal ${command.data.proposalId}`);
  }
  if (command.type === 'ApproveResolution') {
    if (command.data.actor === proposal.actor) {
      return refused('same_actor', 'the approver must be another admin than the proposer');
    }
    return { kind: 'approved', proposal, approver: command.data.actor, effect: state.acceptBank };
  }
  return { kind: 'declined', proposal, actor: command.data.actor, note: command.data.note };
}
