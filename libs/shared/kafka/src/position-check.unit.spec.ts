import { checkIdentity, checkStoredPosition } from './position-check';

describe('checking a stored position against the partition log on assignment', () => {
  it.each([
    ['a fresh position on an empty log', 0n, null, 0n, 0n, 'ok'],
    ['a position inside the log with no identity stored', 5n, null, 0n, 9n, 'ok'],
    ['a position inside the log with an identity', 5n, 'id:x', 0n, 9n, 'verify'],
    ['a position at the log end with an identity', 9n, 'id:x', 0n, 9n, 'verify'],
    ['a position equal to a log start moved by retention', 4n, 'id:x', 4n, 9n, 'ok'],
    ['a position beyond the log end (topic recreated)', 5n, 'id:x', 0n, 3n, 'stop'],
    ['a position below the log start (messages deleted unprocessed)', 2n, 'id:x', 4n, 9n, 'stop'],
  ] as const)('%s: %s', (_name, nextOffset, identity, low, high, expected) => {
    expect(checkStoredPosition({ nextOffset, lastMessageIdentity: identity }, low, high).kind).toBe(
      expected,
    );
  });

  it('asks to compare the message just before the stored position', () => {
    expect(checkStoredPosition({ nextOffset: 5n, lastMessageIdentity: 'id:x' }, 0n, 9n)).toEqual({
      kind: 'verify',
      offset: 4n,
      identity: 'id:x',
    });
  });

  it('names the offsets in the reason for a stop', () => {
    const verdict = checkStoredPosition({ nextOffset: 5n, lastMessageIdentity: null }, 0n, 3n);
    expect(verdict).toEqual({
      kind: 'stop',
      reason: expect.stringContaining('beyond the log end 3'),
    });
  });
});

describe('comparing the message before the stored position', () => {
  it('goes on when it is the same message', () => {
    expect(checkIdentity('id:a', 'id:a', 4n)).toEqual({ kind: 'ok' });
  });

  it.each([
    ['another message', 'id:b'],
    ['no message', null],
  ])('stops on %s', (_name, found) => {
    expect(checkIdentity('id:a', found, 4n).kind).toBe('stop');
  });
});
