import { afterWebhookAttempt, endpointDisabledReason, webhookBackoffMs } from './webhook-retry';

const settings = {
  backoffMsMin: 1_000,
  backoffMsMax: 60_000,
  retryForMs: 24 * 3_600_000,
  disableAfterMs: 5 * 24 * 3_600_000,
};

describe('the backoff between webhook attempts', () => {
  it('doubles per attempt, jittered over the top quarter of the step, up to the maximum', () => {
    expect(webhookBackoffMs(1, settings, 0)).toBe(750);
    expect(webhookBackoffMs(1, settings, 0.999)).toBe(1_000);
    expect(webhookBackoffMs(3, settings, 0)).toBe(3_000);
    expect(webhookBackoffMs(3, settings, 0.999)).toBe(3_999);
    expect(webhookBackoffMs(20, settings, 0)).toBe(45_000);
    expect(webhookBackoffMs(20, settings, 0.5)).toBe(52_500);
  });

  it('waits at least half a step longer than the wait before until the cap, whatever the draws', () => {
    // Steps of 1, 2, 4, 8, 16, 32 s, then the 60 s cap.
    for (let attempts = 1; attempts < 6; attempts += 1) {
      const step = 1_000 * 2 ** (attempts - 1);
      expect(
        webhookBackoffMs(attempts + 1, settings, 0) - webhookBackoffMs(attempts, settings, 0.9999),
      ).toBeGreaterThanOrEqual(step / 2);
    }
  });
});

describe('a delivery after an attempt', () => {
  const budgetFrom = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(budgetFrom.getTime() + ms);

  it('is delivered on any 2xx', () => {
    for (const statusCode of [200, 204, 299]) {
      expect(
        afterWebhookAttempt({ statusCode, attempts: 1, budgetFrom, now: at(0), settings, draw: 0 }),
      ).toEqual({ status: 'delivered' });
    }
  });

  it('is retried after a 3xx (redirects are not followed), 4xx, 5xx or no answer', () => {
    for (const statusCode of [301, 400, 410, 500, null]) {
      expect(
        afterWebhookAttempt({
          statusCode,
          attempts: 2,
          budgetFrom,
          now: at(10),
          settings,
          draw: 0,
        }),
      ).toEqual({ status: 'pending', nextAttemptAt: at(10 + 1_500) });
    }
  });

  it('fails for good only once the retry budget (24 h) is spent', () => {
    const justBefore = at(settings.retryForMs - 1);
    const outcome = afterWebhookAttempt({
      statusCode: 500,
      attempts: 30,
      budgetFrom,
      now: justBefore,
      settings,
      draw: 0,
    });
    expect(outcome.status).toBe('pending');
    expect(
      afterWebhookAttempt({
        statusCode: 500,
        attempts: 31,
        budgetFrom,
        now: at(settings.retryForMs),
        settings,
        draw: 0,
      }),
    ).toEqual({ status: 'failed' });
  });
});

describe('an endpoint failing for long', () => {
  const since = new Date('2026-01-01T00:00:00Z');
  it('is disabled, with the reason, once it failed for the disable period without a success', () => {
    const later = (ms: number) => new Date(since.getTime() + ms);
    expect(endpointDisabledReason(null, later(1e12), settings)).toBeNull();
    expect(endpointDisabledReason(since, later(settings.disableAfterMs - 1), settings)).toBeNull();
    expect(endpointDisabledReason(since, later(settings.disableAfterMs), settings)).toBe(
      'every delivery failed since 2026-01-01T00:00:00.000Z',
    );
  });
});
