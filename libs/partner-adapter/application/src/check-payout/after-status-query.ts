import { bankTransferListSchema } from '@rtp/contracts';
import {
  CallOutcome,
  Payout,
  PayoutChange,
  applyBankStatus,
  awaitingState,
  backoffDelayMs,
  isEscalated,
  partnerEffect,
  unchanged,
} from '@rtp/partner-adapter/domain';
import { DecisionSettings, later, statusTimes } from '../decision-settings';

export type CheckChange = PayoutChange & { resend?: boolean };

/** Asked again after the next delay of the backoff; escalated once when past the deadline. */
function askAgain(payout: Payout, now: Date, settings: DecisionSettings): CheckChange {
  const checks = payout.checks + 1;
  const change: CheckChange = {
    ...unchanged(payout),
    state: payout.state === 'submitting' ? awaitingState(payout) : payout.state,
    checks,
    nextCheckAt: later(now, backoffDelayMs(settings.checkBackoff, checks + 1, settings.random)),
  };
  return escalateIfOverdue(payout, change, now);
}

/**
 * A payout still awaiting the bank past its deadline is escalated, once; it is never failed. A
 * queued one (never sent: the breaker stayed open) stays queued, so it is still sent in its turn.
 */
export function escalateIfOverdue(payout: Payout, change: CheckChange, now: Date): CheckChange {
  const awaiting = change.state === 'pending' || change.state === 'queued';
  if (!awaiting || isEscalated(payout) || now < payout.deadlineAt) return change;
  return {
    ...change,
    state: change.state === 'queued' ? 'queued' : 'escalated',
    escalates: true,
    effects: [
      ...change.effects,
      partnerEffect(
        payout,
        'PayoutEscalated',
        'escalated',
        { pendingSince: payout.reservedAt.toISOString() },
        now,
      ),
    ],
  };
}

/**
 * The payout after a status query by our reference (`GET /v1/transfers?endToEndId=`). The bank's
 * answer decides: found, its status applies; not found while the bank answered, the request never
 * arrived and is sent again under the same key; no answer, we ask again later.
 */
export function afterStatusQuery(
  payout: Payout,
  outcome: CallOutcome,
  now: Date,
  settings: DecisionSettings,
): CheckChange {
  if (outcome.kind !== 'answered' || outcome.status !== 200) {
    return askAgain(payout, now, settings);
  }
  const list = bankTransferListSchema.safeParse(outcome.body);
  if (!list.success) return askAgain(payout, now, settings);
  const found = list.data.data.filter((transfer) => transfer.endToEndId === payout.endToEndId);
  if (found.length === 0) {
    if (payout.bankTransferId !== null || payout.state === 'booked') {
      // The bank gave us an id once: "not found" now is the bank's inconsistency, not a word.
      return askAgain(payout, now, settings);
    }
    return escalateIfOverdue(
      payout,
      { ...unchanged(payout), state: 'queued', nextCheckAt: null, resend: true },
      now,
    );
  }
  const change = applyBankStatus(payout, found[0], statusTimes(settings, now, payout.checks + 1));
  if (change.state === 'pending' || change.state === 'escalated') {
    return escalateIfOverdue(payout, { ...change, checks: payout.checks + 1 }, now);
  }
  if (change.state === 'booked' && payout.state === 'booked') {
    // Still booked: keep watching for a return until the watch ends.
    const watching = payout.returnWatchUntil !== null && now < payout.returnWatchUntil;
    return {
      ...change,
      nextCheckAt: watching ? later(now, settings.returnCheckIntervalMs) : null,
    };
  }
  return change;
}

/** A queued payout past its deadline, escalated where it waits (null: nothing to do yet). */
export function escalateQueued(payout: Payout, now: Date): CheckChange | null {
  if (payout.state !== 'queued') return null;
  const change = escalateIfOverdue(payout, unchanged(payout), now);
  return change.escalates ? change : null;
}
