import { Principal, Result, operatorOf, refused } from '@rtp/gateway/domain';
import { DecideProposalRequest } from '../approve-resolution/approve-resolution.handler';
import { pendingProposalOf } from '../approve-resolution/pending-proposal';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { CommandRelay } from '../ports/outcome-notifications.port';
import { ReviewActionStore, SentReviewAction } from '../ports/review-actions.port';
import { sendReviewAction } from '../send-review-action';

/** The checker declines a proposal, with a note: the exception is open again, nothing is booked. */
export class DeclineResolutionHandler {
  constructor(
    private readonly store: ReviewActionStore,
    private readonly relay: CommandRelay,
    private readonly system: IdsAndClock,
    private readonly retentionMs: number,
  ) {}

  async execute(
    principal: Principal,
    request: DecideProposalRequest & { note: string },
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
    const { note } = request;
    const ports = { store: this.store, relay: this.relay, system: this.system };
    return sendReviewAction({ ...ports, retentionMs: this.retentionMs }, principal, {
      kind: 'decline',
      actor,
      exception,
      proposalId: request.proposalId,
      fingerprinted: { note },
      idempotencyKey: request.idempotencyKey,
      command: (actionId) => ({
        type: 'DeclineResolution',
        data: {
          exceptionId: exception.exceptionId,
          actionId,
          proposalId: request.proposalId,
          note,
          actor,
        },
      }),
    });
  }
}
