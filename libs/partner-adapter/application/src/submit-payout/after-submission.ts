import { bankProblemSchema, bankTransferSchema } from '@rtp/contracts';
import {
  CallOutcome,
  Payout,
  PayoutChange,
  applyBankStatus,
  awaitingState,
  backoffDelayMs,
  partnerEffect,
  rejectionEffects,
  unchanged,
} from '@rtp/partner-adapter/domain';
import { DecisionSettings, later, statusTimes } from '../decision-settings';

/** A payout back in the queue, to be sent again (same key) at `nextSendAt`. */
export type SubmissionChange = PayoutChange & { nextSendAt?: Date; submissions?: number };

/** The ISO code of a refusal: the bank's own when its problem names one, else "not specified". */
function refusalCode(body: unknown): string {
  const reason = (body as { reasonCode?: unknown } | null)?.reasonCode;
  return typeof reason === 'string' && /^[A-Z0-9]{4}$/.test(reason) ? reason : 'MS03';
}

/** A refusal of this payout as such (validation): never one about our key or our credentials. */
function isRefusal(status: number, body: unknown): boolean {
  if (status !== 400 && status !== 422) return false;
  const problem = bankProblemSchema.safeParse(body);
  // The same key with another body means our request is not what the bank holds under the key:
  // the bank may have executed the first; only a status query can say.
  return !(problem.success && /idempotency/i.test(problem.data.code));
}

function unknownChange(payout: Payout, now: Date, settings: DecisionSettings, cause: string) {
  return {
    ...unchanged(payout),
    state: awaitingState(payout),
    checks: 0,
    nextCheckAt: later(now, backoffDelayMs(settings.checkBackoff, 1, settings.random)),
    effects: [
      partnerEffect(
        payout,
        'PayoutOutcomeUnknown',
        `unknown:${payout.submissions}`,
        { cause },
        now,
      ),
    ],
  };
}

/**
 * The payout after its create request (`payout` as recorded by beginSubmission). Only the bank's
 * answer moves it to a final state; a lost answer keeps it pending with its funds held.
 */
export function afterSubmission(
  payout: Payout,
  outcome: CallOutcome,
  now: Date,
  settings: DecisionSettings,
): SubmissionChange {
  if (outcome.kind === 'unknown') return unknownChange(payout, now, settings, outcome.cause);
  if (outcome.kind === 'not_sent') {
    if (
      outcome.cause === 'connection_refused' &&
      payout.submissions >= settings.notSentRetriesMax
    ) {
      // Out of blind retries: from here on the bank is asked first, as for an unknown outcome.
      return { ...unchanged(payout), state: 'pending', checks: 0, nextCheckAt: now };
    }
    if (outcome.cause === 'breaker_open') {
      // Refused by the breaker, never sent: not a submission. The next one takes its number, so
      // its PayoutSubmitted is the one already written (same id; the outbox writes it once).
      return {
        ...unchanged(payout),
        state: 'queued',
        nextCheckAt: null,
        submissions: Math.max(0, payout.submissions - 1),
        nextSendAt: now,
      };
    }
    const delayMs = backoffDelayMs(settings.notSentBackoff, payout.submissions, settings.random);
    return {
      ...unchanged(payout),
      state: 'queued',
      nextCheckAt: null,
      nextSendAt: later(now, delayMs),
    };
  }
  const { status, body } = outcome;
  if (status === 200 || status === 201) {
    const transfer = bankTransferSchema.safeParse(body);
    if (!transfer.success) return unknownChange(payout, now, settings, 'server_error');
    return applyBankStatus(payout, transfer.data, statusTimes(settings, now, 0));
  }
  if (isRefusal(status, body)) {
    return {
      ...unchanged(payout),
      state: 'rejected',
      nextCheckAt: null,
      effects: rejectionEffects(payout, null, refusalCode(body), now),
    };
  }
  // Any other answer (401, 409 in flight, 429, an idempotency conflict) is no word on the
  // payout: it is asked about by our reference, which also covers a first request still running.
  return unknownChange(payout, now, settings, 'server_error');
}
