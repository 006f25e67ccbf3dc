/**
 * An RFC 9457 problem as the gateway answers it: the status, a stable `code` (the problem type is
 * derived from it), a title and the words for this occurrence.
 */
export interface HttpProblem {
  status: 400 | 401 | 403 | 404 | 408 | 409 | 413 | 414 | 415 | 422 | 429 | 431 | 503;
  code: string;
  title: string;
  detail: string;
  extra?: Record<string, unknown>;
  /** Sent as the Retry-After header (seconds) on 409, 429 and 503. */
  retryAfterSeconds?: number;
}

/**
 * A refusal of the HTTP edge itself (a request it cannot parse, authenticate or admit), thrown to
 * the problem filter. The use cases' refusals are values; see refusal-problem.ts.
 */
export class HttpProblemError extends Error {
  constructor(readonly problem: HttpProblem) {
    super(problem.detail);
    this.name = 'HttpProblemError';
  }
}

/** The edge's own refusals that several places raise. */
export const edgeProblems = {
  unauthenticated: (): HttpProblem => ({
    status: 401,
    code: 'unauthenticated',
    title: 'Unauthenticated',
    detail: 'Send a valid API key as Authorization: Bearer <key>.',
  }),
  missingScope: (scope: string): HttpProblem => ({
    status: 403,
    code: 'forbidden',
    title: 'Forbidden',
    detail: `This operation needs the ${scope} scope.`,
  }),
  rateLimited: (retryAfterSeconds: number): HttpProblem => ({
    status: 429,
    code: 'rate_limited',
    title: 'Too many requests',
    detail: 'This API key sent more requests than its limit allows; retry after the time given.',
    retryAfterSeconds,
  }),
  idempotencyKeyRequired: (): HttpProblem => ({
    status: 400,
    code: 'idempotency_key_required',
    title: 'Idempotency-Key header required',
    detail:
      'Requests that move money must carry an Idempotency-Key header (1 to 255 printable characters).',
  }),
  /** Anything unexpected: logged, and answered as safe to retry. */
  temporarilyUnavailable: (): HttpProblem => ({
    status: 503,
    code: 'temporarily_unavailable',
    title: 'Temporarily unavailable',
    detail:
      'The request could not be completed now; it is safe to retry with the same ' +
      'Idempotency-Key.',
    retryAfterSeconds: 1,
  }),
};
