import { supervision } from '../../tools/service-processes';

const { DEFAULT_POLICY, nextRestart } = supervision;
const QUICK_MS = 1_000;

describe('the supervisor backoff policy', () => {
  describe('when a service keeps exiting soon after it starts', () => {
    it('waits 0.5 s, then doubles the delay each time up to 30 s', () => {
      let quickExits = 0;
      const delays: number[] = [];
      for (let index = 0; index < 10; index += 1) {
        const next = nextRestart(DEFAULT_POLICY, { quickExits, uptimeMs: QUICK_MS });
        delays.push(next.delayMs);
        quickExits = next.quickExits;
      }
      expect(delays).toEqual([
        500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000,
      ]);
    });
  });

  describe('when the run that ended stayed up past the stable time', () => {
    it('starts again from the first delay', () => {
      const next = nextRestart(DEFAULT_POLICY, {
        quickExits: 6,
        uptimeMs: DEFAULT_POLICY.stableAfterMs,
      });
      expect(next).toEqual({ delayMs: 500, quickExits: 1 });
    });
  });

  describe('when the run that ended was just short of the stable time', () => {
    it('keeps growing the delay', () => {
      const next = nextRestart(DEFAULT_POLICY, {
        quickExits: 2,
        uptimeMs: DEFAULT_POLICY.stableAfterMs - 1,
      });
      expect(next).toEqual({ delayMs: 2_000, quickExits: 3 });
    });
  });

  it.each([
    [{ initialDelayMs: 100, factor: 3, maxDelayMs: 1_000, stableAfterMs: 5_000 }, 3, 1_000],
    [{ initialDelayMs: 100, factor: 3, maxDelayMs: 1_000, stableAfterMs: 5_000 }, 2, 900],
    [{ initialDelayMs: 250, factor: 1, maxDelayMs: 1_000, stableAfterMs: 5_000 }, 9, 250],
  ])('with policy %j after %i quick exits waits %i ms', (policy, quickExits, delayMs) => {
    expect(nextRestart(policy, { quickExits, uptimeMs: 0 }).delayMs).toBe(delayMs);
  });
});
