/** How a webhook delivery is retried: settings, with the tests' shorter ones. */
export interface WebhookRetrySettings {
  backoffMsMin: number;
  backoffMsMax: number;
  /** Attempts go on for at least this long after the first (or after a manual retry). */
  retryForMs: number;
  /** An endpoint whose deliveries have failed without a success for this long is disabled. */
  disableAfterMs: number;
}

/**
 * The wait after the `attempts`-th failed attempt: exponential, step(n) = min * 2^(n-1) capped at
 * max, jittered over the step's top quarter. Each wait is then at least half a step longer than
 * the last (3/4 of 2s is more than s) until the cap, and receivers coming back after an outage
 * are not hit by every delivery at once.
 */
export function webhookBackoffMs(
  attempts: number,
  settings: Pick<WebhookRetrySettings, 'backoffMsMin' | 'backoffMsMax'>,
  draw: number,
): number {
  if (!Number.isInteger(attempts) || attempts < 1) throw new Error(`attempts ${attempts} < 1`);
  if (draw < 0 || draw >= 1) throw new Error(`draw ${draw} outside [0, 1)`);
  const exponent = Math.min(attempts - 1, 40);
  const step = Math.min(settings.backoffMsMax, settings.backoffMsMin * 2 ** exponent);
  return Math.round(step * (0.75 + 0.25 * draw));
}

export type AfterAttempt =
  { status: 'delivered' } | { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' };

/** What a delivery becomes after an attempt: delivered on a 2xx, else retried until its budget. */
export function afterWebhookAttempt(input: {
  statusCode: number | null;
  attempts: number;
  budgetFrom: Date;
  now: Date;
  settings: WebhookRetrySettings;
  draw: number;
}): AfterAttempt {
  const { statusCode, attempts, budgetFrom, now, settings } = input;
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { status: 'delivered' };
  if (now.getTime() - budgetFrom.getTime() >= settings.retryForMs) return { status: 'failed' };
  const waitMs = webhookBackoffMs(attempts, settings, input.draw);
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + waitMs) };
}

/** Whether an endpoint failing since `failingSince` (no success since) is now disabled. */
export function endpointDisabledReason(
  failingSince: Date | null,
  now: Date,
  settings: Pick<WebhookRetrySettings, 'disableAfterMs'>,
): string | null {
  if (!failingSince || now.getTime() - failingSince.getTime() < settings.disableAfterMs)
    return null;
  return `every delivery failed since ${failingSince.toISOString()}`;
}
