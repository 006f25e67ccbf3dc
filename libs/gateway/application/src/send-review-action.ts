import { ReconciliationCommand } from '@rtp/contracts';
import { Principal, Result, refused, requestFingerprint, succeeded } from '@rtp/gateway/domain';
import { IdsAndClock } from './ports/ids-and-clock.port';
import { CommandRelay } from './ports/outcome-notifications.port';
import { reconciliationCommand } from './ports/reconciliation-command';
import {
  ExceptionForAction,
  ReviewActionStore,
  SentReviewAction,
} from './ports/review-actions.port';
import { ReviewActionKind } from './ports/review-views';

export interface ReviewActionRequest {
  kind: ReviewActionKind;
  actor: string;
  exception: ExceptionForAction;
  proposalId: string | null;
  /** The fields an Idempotency-Key is bound to (besides the kind and the exception). */
  fingerprinted: Record<string, unknown>;
  idempotencyKey: string | null;
  /** The command, given the action's new id. */
  command: (actionId: string) => ReconciliationCommand;
}

/**
 * Records a review action and sends its command through the outbox (one transaction). With an
 * Idempotency-Key, the same key and request answers the first action's id as a replay and sends
 * nothing; the key with another request is refused. The action's id is fresh for every new request
 * (a key reused after its retention is a new action, which the reconciler must not drop).
 */
export async function sendReviewAction(
  ports: {
    store: ReviewActionStore;
    relay: CommandRelay;
    system: IdsAndClock;
    retentionMs: number;
  },
  principal: Principal,
  request: ReviewActionRequest,
): Promise<Result<SentReviewAction>> {
  const actionId = ports.system.newId();
  const now = ports.system.now();
  const command = reconciliationCommand({
    id: actionId,
    partnerId: request.exception.partnerId,
    time: now,
    message: request.command(actionId),
  });
  const operation = `reconciliation_${request.kind}`;
  const claim =
    request.idempotencyKey === null
      ? null
      : {
          clientId: principal.clientId,
          idempotencyKey: request.idempotencyKey,
          operation,
          fingerprint: requestFingerprint(operation, {
            exceptionId: request.exception.exceptionId,
            proposalId: request.proposalId,
            ...request.fingerprinted,
          }),
          expiresAt: new Date(now.getTime() + ports.retentionMs),
        };
  const result = await ports.store.queueReviewAction(
    {
      actionId,
      exceptionId: request.exception.exceptionId,
      kind: request.kind,
      actor: request.actor,
      proposalId: request.proposalId,
    },
    command,
    claim,
  );
  const sent = (id: string, replayed: boolean): Result<SentReviewAction> =>
    succeeded({
      actionId: id,
      exceptionId: request.exception.exceptionId,
      kind: request.kind,
      proposalId: request.proposalId,
      replayed,
    });
  if (result.claimed) {
    await ports.relay.flush();
    return sent(actionId, false);
  }
  if (result.inFlight) return refused({ code: 'idempotency_key_in_flight' });
  if (result.fingerprint !== claim!.fingerprint) return refused({ code: 'idempotency_key_reused' });
  return sent(result.resourceId, true);
}
