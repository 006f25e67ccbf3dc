import { backoffDelayMs } from './backoff';

const policy = { baseDelayMs: 100, maxDelayMs: 5_000 };

describe('backoffDelayMs (full jitter)', () => {
  it('draws within [0, base * 2^(attempt-1)]', () => {
    expect(backoffDelayMs(policy, 1, () => 0)).toBe(0);
    expect(backoffDelayMs(policy, 1, () => 0.999_999)).toBe(100);
    expect(backoffDelayMs(policy, 3, () => 0.999_999)).toBe(400);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(200);
  });

  it('never exceeds the maximum however many attempts', () => {
    for (const attempt of [7, 10, 50, 1_000]) {
      expect(backoffDelayMs(policy, attempt, () => 0.999_999)).toBeLessThanOrEqual(5_000);
    }
  });

  it('spreads the draws over the whole range', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return (seed - 1) / 2_147_483_646;
    };
    const draws = Array.from({ length: 1_000 }, () => backoffDelayMs(policy, 20, random));
    expect(Math.min(...draws)).toBeLessThan(500);
    expect(Math.max(...draws)).toBeGreaterThan(4_500);
    expect(draws.every((draw) => draw >= 0 && draw <= 5_000)).toBe(true);
  });

  it('refuses a random source outside [0, 1)', () => {
    expect(() => backoffDelayMs(policy, 1, () => 1)).toThrow(/outside/);
  });
});
