import { describeFailure, isPermanentFailure } from './failure-kinds';
import { retryDelayMs } from './partition-worker';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('which batch failures are split to isolate a message', () => {
  it.each([
    ['numeric value out of range', withCode('22003'), true],
    ['invalid text representation', withCode('22P02'), true],
    ['a unique violation', withCode('23505'), true],
    [
      'a check violation wrapped by TypeORM',
      Object.assign(new Error('x'), { driverError: { code: '23514' } }),
      true,
    ],
    [
      'a violated domain invariant',
      Object.assign(new Error('x'), { name: 'InvariantViolation' }),
      true,
    ],
    ['a connection failure', withCode('08006'), false],
    ['a deadlock', withCode('40P01'), false],
    ['a serialization failure', withCode('40001'), false],
    ['a statement timeout', withCode('57014'), false],
    ['an administrator shutdown', withCode('57P01'), false],
    ['a missing table (a deployment bug: never refuse every command)', withCode('42P01'), false],
    ['a socket error', withCode('ECONNREFUSED'), false],
    ['a plain error', new Error('fenced'), false],
    ['not an error', 'text', false],
  ])('%s: %s', (_name, error, permanent) => {
    expect(isPermanentFailure(error)).toBe(permanent);
  });

  it('describes a failure by code and message only', () => {
    expect(describeFailure(withCode('22003'))).toBe('22003: 22003');
  });

  it('backs off from 0.5 s, doubling, to at most 30 s', () => {
    expect([1, 2, 3, 7, 8, 50].map(retryDelayMs)).toEqual([
      500, 1_000, 2_000, 30_000, 30_000, 30_000,
    ]);
  });
});
