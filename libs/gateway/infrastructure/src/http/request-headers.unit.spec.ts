import { HttpProblemError } from './problems/http-problem';
import { requireIdempotencyKey, waitMsFrom } from './request-headers';

describe('Prefer header', () => {
  it.each([
    [undefined, 2_000],
    ['respond-async', 0],
    ['wait=5', 5_000],
    ['wait=60', 10_000],
    ['respond-async, wait=5', 0],
    ['return=minimal', 2_000],
    ['wait=abc', 2_000],
  ])('%p waits %p ms', (prefer, expected) => {
    expect(waitMsFrom(prefer, 2_000)).toBe(expected);
  });
});

describe('Idempotency-Key header', () => {
  it.each([[undefined], [''], ['x'.repeat(256)], ['has space']])('refuses %p', (key) => {
    expect(() => requireIdempotencyKey(key)).toThrow(HttpProblemError);
  });

  it('accepts a printable key', () => {
    expect(requireIdempotencyKey('order-42/attempt')).toBe('order-42/attempt');
  });
});
