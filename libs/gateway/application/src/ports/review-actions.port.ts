import { ClaimResult, IdempotencyClaim } from './idempotency';
import { OutgoingCommand } from './outgoing-command';
import { ExceptionStatus, ReviewActionKind } from './review-views';

/** What deciding a review action needs to know of its exception, read on the primary. */
export interface ExceptionForAction {
  exceptionId: string;
  partnerId: string;
  status: ExceptionStatus;
  proposals: { proposalId: string; actor: string; status: 'pending' | 'approved' | 'declined' }[];
}

export interface NewReviewAction {
  actionId: string;
  exceptionId: string;
  kind: ReviewActionKind;
  actor: string;
  proposalId: string | null;
}

export interface ReviewActionStore {
  findExceptionForAction(exceptionId: string): Promise<ExceptionForAction | null>;
  /**
   * Records the action and queues its command in one transaction; with a claim, only if the key
   * was free (otherwise nothing is written and the claim's state is returned).
   */
  queueReviewAction(
    action: NewReviewAction,
    command: OutgoingCommand,
    claim: IdempotencyClaim | null,
  ): Promise<ClaimResult>;
}

/** The answer to a review action: sent to the reconciler, whose events the read model shows. */
export interface SentReviewAction {
  actionId: string;
  exceptionId: string;
  kind: ReviewActionKind;
  proposalId: string | null;
  replayed: boolean;
}
