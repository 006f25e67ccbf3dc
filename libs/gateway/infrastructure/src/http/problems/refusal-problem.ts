import { GatewayRefusal, RefusalCode } from '@rtp/gateway/domain';
import { HttpProblem } from './http-problem';
import { REVIEW_PROBLEMS } from './review-problems';
import { WEBHOOK_PROBLEMS } from './webhook-problems';

/** A use case's refusal on its way out: controllers throw it, the problem filter answers it. */
export class RefusalError extends Error {
  constructor(readonly refusal: GatewayRefusal) {
    super(refusal.code);
    this.name = 'RefusalError';
  }
}

type Refusal<C extends RefusalCode> = Extract<GatewayRefusal, { code: C }>;

/**
 * Each refusal code's problem: its status, its code as clients see it (the problem type is derived
 * from it), its title and its words. The codes clients see are documented and never change.
 */
const PROBLEMS: { [C in RefusalCode]: (refusal: Refusal<C>) => HttpProblem } = {
  account_not_found: ({ accountId }) => ({
    status: 404,
    code: 'account_not_found',
    title: 'Account not found',
    detail: `No account ${accountId} is visible to this client.`,
  }),
  payment_not_found: ({ paymentId }) => ({
    status: 404,
    code: 'payment_not_found',
    title: 'Payment not found',
    detail: `No payment ${paymentId} is visible to this client.`,
  }),
  destination_account_not_found: ({ accountId }) => ({
    status: 422,
    code: 'destination_account_not_found',
    title: 'Destination account not found',
    // The same words whether the account does not exist or only refuses this client's credits.
    detail: `No account ${accountId} that this client may pay into exists.`,
  }),
  not_account_owner: ({ accountId }) => ({
    status: 403,
    code: 'forbidden',
    title: 'Forbidden',
    detail: `Only the owner of account ${accountId} may change its settings.`,
  }),
  currency_mismatch: ({ operation, currency, account }) => ({
    status: 400,
    code: 'currency_mismatch',
    title: 'Currency does not match the account',
    detail: account
      ? `The ${operation} is in ${currency} but account ${account.id} holds ${account.currency}.`
      : `The ${operation} is in ${currency}, which the destination account does not hold.`,
  }),
  amount_too_large: ({ amountMinorMax }) => ({
    status: 422,
    code: 'amount_too_large',
    title: 'Amount above the maximum per request',
    detail: `One request may move at most ${amountMinorMax} minor units.`,
    extra: { amountMax: amountMinorMax.toString() },
  }),
  invalid_iban: () => ({
    status: 422,
    code: 'invalid_iban',
    title: 'The beneficiary IBAN is not valid',
    detail: "The beneficiary's IBAN fails its country's length and format or its check digits.",
  }),
  invalid_bic: () => ({
    status: 422,
    code: 'invalid_bic',
    title: 'The beneficiary BIC is not valid',
    detail: "The beneficiary's BIC is not 8 or 11 characters of a valid BIC.",
  }),
  idempotency_key_in_flight: () => ({
    status: 409,
    code: 'idempotency_key_in_flight',
    title: 'A request with this Idempotency-Key is still being accepted',
    detail:
      'Retry after the first request with this key has been accepted; it will then be replayed.',
    retryAfterSeconds: 1,
  }),
  idempotency_key_reused: () => ({
    status: 422,
    code: 'idempotency_key_reused',
    title: 'Idempotency key reused with a different request',
    detail: 'This Idempotency-Key was first used with a different request; use a new key.',
  }),
  not_accepted: () => ({
    status: 503,
    code: 'temporarily_unavailable',
    title: 'Temporarily unavailable',
    detail:
      'The request could not be accepted in time; it is safe to retry with the same ' +
      'Idempotency-Key.',
    retryAfterSeconds: 1,
  }),
  ledger_refused: ({ failureCode }) => ({
    status: 422,
    code: failureCode,
    title: 'The ledger refused the request',
    detail: `The ledger refused the request: ${failureCode}.`,
  }),
  ...REVIEW_PROBLEMS,
  ...WEBHOOK_PROBLEMS,
};

/** The one place where a use case's refusal becomes HTTP (RFC 9457 problem+json). */
export function refusalProblem(refusal: GatewayRefusal): HttpProblem {
  const problem = PROBLEMS[refusal.code] as (refusal: GatewayRefusal) => HttpProblem;
  return problem(refusal);
}
