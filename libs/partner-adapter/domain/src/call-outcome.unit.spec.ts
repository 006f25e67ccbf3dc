import { CallFailure, classifyFailure, outcomeLabel } from './call-outcome';

const failure = (fields: Partial<CallFailure>): CallFailure => ({
  code: undefined,
  name: undefined,
  message: 'failed',
  ...fields,
});

describe('classifyFailure', () => {
  it.each<[string, Partial<CallFailure>, string, string]>([
    ['a refused connection', { code: 'ECONNREFUSED' }, 'not_sent', 'connection_refused'],
    ['an open breaker', { code: 'EOPENBREAKER' }, 'not_sent', 'breaker_open'],
    ['a reset connection', { code: 'ECONNRESET' }, 'unknown', 'connection_reset'],
    ['a closed socket', { code: 'UND_ERR_SOCKET' }, 'unknown', 'connection_reset'],
    ['an abort by our timeout', { name: 'TimeoutError' }, 'unknown', 'timeout'],
    ['an aborted fetch', { name: 'AbortError' }, 'unknown', 'timeout'],
    ['headers never came', { code: 'UND_ERR_HEADERS_TIMEOUT' }, 'unknown', 'timeout'],
    [
      'the breaker timing out',
      { code: 'ETIMEDOUT', breakerTimeout: true },
      'unknown',
      'breaker_timeout',
    ],
    ['a 503 after sending', { status: 503 }, 'unknown', 'server_error'],
    ['a 500 after sending', { status: 500 }, 'unknown', 'server_error'],
    ['anything else', { message: 'weird' }, 'unknown', 'connection_reset'],
  ])('classifies %s', (_name, fields, kind, cause) => {
    const outcome = classifyFailure(failure(fields));
    expect(outcome.kind).toBe(kind);
    expect(outcome).toMatchObject({ cause });
  });

  it('labels outcomes with bounded values', () => {
    expect(outcomeLabel({ kind: 'answered', status: 201, body: {} })).toBe('answered_2xx');
    expect(outcomeLabel(classifyFailure(failure({ code: 'ECONNREFUSED' })))).toBe(
      'not_sent_connection_refused',
    );
  });
});
