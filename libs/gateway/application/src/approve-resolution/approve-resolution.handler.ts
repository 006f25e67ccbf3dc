import { Principal, Result, operatorOf, refused } from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { CommandRelay } from '../ports/outcome-notifications.port';
import { ReviewActionStore, SentReviewAction } from '../ports/review-actions.port';
import { sendReviewAction } from '../send-review-action';
import { pendingProposalOf } from './pending-proposal';

export interface DecideProposalRequest {
  exceptionId: string;
  proposalId: string;
  idempotencyKey: string | null;
}

/**
 * The checker's step: another operator than the proposal's approves it; the reconciler then sends
 * the ledger command the resolution implies (a new command, never an edit) and resolves the
 * exception. The reconciler is the authority on maker-checker; this refuses early what the read
 * model already shows (the same actor, a proposal decided already).
 */
export class ApproveResolutionHandler {
  constructor(
    private readonly store: ReviewActionStore,
    private readonly relay: CommandRelay,
    private readonly system: IdsAndClock,
    private readonly retentionMs: number,
  ) {}

  async execute(
    principal: Principal,
    request: DecideProposalRequest,
  ): Promise<Result<SentReviewAction>> {
    const actor = operatorOf(principal);
    if (actor === null) return refused({ code: 'operator_required' });
    const found = pendingProposalOf(
      await this.store.findExceptionForAction(request.exceptionId),
      request,
      actor,
    );
    if (!found.ok) return found;
    const { exception } = found.value;
    const ports = { store: this.store, relay: this.relay, system: this.system };
    return sendReviewAction({ ...ports, retentionMs: this.retentionMs }, principal, {
      kind: 'approve',
      actor,
      exception,
      proposalId: request.proposalId,
      fingerprinted: {},
      idempotencyKey: request.idempotencyKey,
      command: (actionId) => ({
        type: 'ApproveResolution',
        data: {
          exceptionId: exception.exceptionId,
          actionId,
          proposalId: request.proposalId,
          actor,
        },
      }),
    });
  }
}
