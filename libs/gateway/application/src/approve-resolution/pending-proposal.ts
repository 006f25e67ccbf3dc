import { Result, refused, succeeded } from '@rtp/gateway/domain';
import { ExceptionForAction } from '../ports/review-actions.port';

/**
 * The exception and its proposal that a checker may decide: it exists, it waits, and its author is
 * another operator (maker-checker).
 */
export function pendingProposalOf(
  exception: ExceptionForAction | null,
  request: { exceptionId: string; proposalId: string },
  actor: string,
): Result<{ exception: ExceptionForAction }> {
  if (!exception) return refused({ code: 'exception_not_found', exceptionId: request.exceptionId });
  // Resolved meanwhile (matched by a later statement): a waiting proposal has nothing left to do.
  if (exception.status === 'resolved') {
    return refused({
      code: 'exception_not_open',
      exceptionId: exception.exceptionId,
      status: exception.status,
    });
  }
  const proposal = exception.proposals.find((each) => each.proposalId === request.proposalId);
  if (!proposal) {
    return refused({
      code: 'proposal_not_found',
      exceptionId: request.exceptionId,
      proposalId: request.proposalId,
    });
  }
  if (proposal.status !== 'pending') {
    return refused({
      code: 'proposal_not_pending',
      proposalId: proposal.proposalId,
      status: proposal.status,
    });
  }
  if (proposal.actor === actor)
    return refused({ code: 'same_actor', proposalId: proposal.proposalId });
  return succeeded({ exception });
}
