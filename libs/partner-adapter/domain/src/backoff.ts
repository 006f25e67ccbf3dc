/** Exponential backoff with full jitter, bounded: the checks of one pending payout. */
export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * The delay before check number `attempt` (1 for the first): a uniform draw in
 * [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))] ("full jitter"), so that payouts made unknown
 * by one outage do not all ask the recovering bank at the same instant. `random` returns [0, 1).
 */
export function backoffDelayMs(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number,
): number {
  const exponent = Math.min(Math.max(0, attempt - 1), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const draw = random();
  if (!(draw >= 0 && draw < 1)) throw new Error(`random() returned ${draw}, outside [0, 1)`);
  return Math.floor(draw * (ceiling + 1));
}
