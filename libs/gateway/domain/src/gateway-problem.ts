/**
 * Expected refusals of a gateway use case, as values. Only the HTTP edge turns them into
 * RFC 9457 problem documents; `code` is stable and documented.
 */
export interface GatewayProblem {
  status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;
  code: string;
  title: string;
  detail: string;
  extra?: Record<string, unknown>;
  /** Sent as the Retry-After header (seconds) on 409, 429 and 503. */
  retryAfterSeconds?: number;
}

export class GatewayProblemError extends Error {
  constructor(readonly problem: GatewayProblem) {
    super(problem.detail);
    this.name = 'GatewayProblemError';
  }
}

export const problems = {
  accountNotFound: (accountId: string): GatewayProblem => ({
    status: 404,
    code: 'account_not_found',
    title: 'Account not found',
    detail: `No account ${accountId} is visible to this client.`,
  }),
  paymentNotFound: (paymentId: string): GatewayProblem => ({
    status: 404,
    code: 'payment_not_found',
    title: 'Payment not found',
    detail: `No payment ${paymentId} is visible to this client.`,
  }),
  destinationNotFound: (accountId: string): GatewayProblem => ({
    status: 422,
    code: 'destination_account_not_found',
    title: 'Destination account not found',
    // The same words whether the account does not exist or only refuses this client's credits.
    detail: `No account ${accountId} that this client may pay into exists.`,
  }),
  notAccountOwner: (accountId: string): GatewayProblem => ({
    status: 403,
    code: 'forbidden',
    title: 'Forbidden',
    detail: `Only the owner of account ${accountId} may change its settings.`,
  }),
  accountActionRejected: (failureCode: string): GatewayProblem => ({
    status: 422,
    code: failureCode,
    title: 'The ledger refused the request',
    detail: `The ledger refused the request: ${failureCode}.`,
  }),
  currencyMismatch: (detail: string): GatewayProblem => ({
    status: 400,
    code: 'currency_mismatch',
    title: 'Currency does not match the account',
    detail,
  }),
  idempotencyKeyRequired: (): GatewayProblem => ({
    status: 400,
    code: 'idempotency_key_required',
    title: 'Idempotency-Key header required',
    detail:
      'Requests that move money must carry an Idempotency-Key header (1 to 255 printable characters).',
  }),
  idempotencyKeyInFlight: (): GatewayProblem => ({
    status: 409,
    code: 'idempotency_key_in_flight',
    title: 'A request with this Idempotency-Key is still being accepted',
    detail:
      'Retry after the first request with this key has been accepted; it will then be replayed.',
    retryAfterSeconds: 1,
  }),
  rateLimited: (retryAfterSeconds: number): GatewayProblem => ({
    status: 429,
    code: 'rate_limited',
    title: 'Too many requests',
    detail: 'This API key sent more requests than its limit allows; retry after the time given.',
    retryAfterSeconds,
  }),
  amountTooLarge: (amountMinorMax: bigint): GatewayProblem => ({
    status: 422,
    code: 'amount_too_large',
    title: 'Amount above the maximum per request',
    detail: `One request may move at most ${amountMinorMax} minor units.`,
    extra: { amountMax: amountMinorMax.toString() },
  }),
  notAccepted: (): GatewayProblem => ({
    status: 503,
    code: 'temporarily_unavailable',
    title: 'Temporarily unavailable',
    detail:
      'The request could not be accepted in time; it is safe to retry with the same Idempotency-Key.',
    retryAfterSeconds: 1,
  }),
  idempotencyKeyReused: (): GatewayProblem => ({
    status: 422,
    code: 'idempotency_key_reused',
    title: 'Idempotency key reused with a different request',
    detail: 'This Idempotency-Key was first used with a different request; use a new key.',
  }),
};
