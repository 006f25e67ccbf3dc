import { RESOLUTIONS } from '@rtp/contracts';
import { Principal, Result, operatorOf, refused } from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { CommandRelay } from '../ports/outcome-notifications.port';
import { ReviewActionStore, SentReviewAction } from '../ports/review-actions.port';
import { sendReviewAction } from '../send-review-action';

export interface ProposeResolutionRequest {
  exceptionId: string;
  resolution: (typeof RESOLUTIONS)[number];
  note: string;
  idempotencyKey: string | null;
}

/**
 * The maker's step: an operator proposes how to resolve an open exception, with a note. The
 * reconciler decides (a resolution that moves money then waits for another operator's approval);
 * this refuses at once what the read model already shows it would refuse.
 */
export class ProposeResolutionHandler {
  constructor(
    private readonly store: ReviewActionStore,
    private readonly relay: CommandRelay,
    private readonly system: IdsAndClock,
    private readonly retentionMs: number,
  ) {}

  async execute(
    principal: Principal,
    request: ProposeResolutionRequest,
  ): Promise<Result<SentReviewAction>> {
    const actor = operatorOf(principal);
    if (actor === null) return refused({ code: 'operator_required' });
    const exception = await this.store.findExceptionForAction(request.exceptionId);
    if (!exception)
      return refused({ code: 'exception_not_found', exceptionId: request.exceptionId });
    // With an Idempotency-Key the key decides first: a retry replays its answer (and the key with
    // another request is refused) even once the exception was resolved; a new request with a key
    // on a closed exception goes to the reconciler, which refuses it (ExceptionActionRefused).
    if (exception.status !== 'open' && request.idempotencyKey === null) {
      return refused({
        code: 'exception_not_open',
        exceptionId: exception.exceptionId,
        status: exception.status,
      });
    }
    const { resolution, note } = request;
    const ports = { store: this.store, relay: this.relay, system: this.system };
    return sendReviewAction({ ...ports, retentionMs: this.retentionMs }, principal, {
      kind: 'propose',
      actor,
      exception,
      proposalId: null,
      fingerprinted: { resolution, note },
      idempotencyKey: request.idempotencyKey,
      command: (actionId) => ({
        type: 'ProposeResolution',
        data: { exceptionId: exception.exceptionId, actionId, resolution, note, actor },
      }),
    });
  }
}
