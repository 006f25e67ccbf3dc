import { Payout, PayoutChange, partnerEffect, unchanged } from '@rtp/partner-adapter/domain';
import { DecisionSettings, later } from '../decision-settings';

/**
 * Recorded, with the attempt, before the request leaves: a crash during the call leaves a
 * `submitting` payout whose lease runs out, and the checker then asks the bank by our reference
 * (the resend, if any, goes under the same key).
 */
export function beginSubmission(
  payout: Payout,
  now: Date,
  settings: DecisionSettings,
): PayoutChange & { submissions: number } {
  const submissions = payout.submissions + 1;
  return {
    ...unchanged(payout),
    state: 'submitting',
    submissions,
    nextCheckAt: later(now, settings.submissionLeaseMs),
    effects: [
      partnerEffect(
        payout,
        'PayoutSubmitted',
        `submitted:${submissions}`,
        { attempt: submissions },
        now,
      ),
    ],
  };
}
