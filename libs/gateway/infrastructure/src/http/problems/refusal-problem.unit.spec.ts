import { GatewayRefusal } from '@rtp/gateway/domain';
import { problemResponse } from '../framework-problems';
import { refusalProblem } from './refusal-problem';

/** Status, code and Retry-After clients see for each refusal: documented, never to change. */
const CASES: [GatewayRefusal, number, string, string | undefined][] = [
  [{ code: 'account_not_found', accountId: 'a' }, 404, 'account_not_found', undefined],
  [{ code: 'payment_not_found', paymentId: 'p' }, 404, 'payment_not_found', undefined],
  [
    { code: 'destination_account_not_found', accountId: 'b' },
    422,
    'destination_account_not_found',
    undefined,
  ],
  [{ code: 'not_account_owner', accountId: 'a' }, 403, 'forbidden', undefined],
  [
    { code: 'currency_mismatch', operation: 'payment', currency: 'USD', account: null },
    400,
    'currency_mismatch',
    undefined,
  ],
  [{ code: 'amount_too_large', amountMinorMax: 10n }, 422, 'amount_too_large', undefined],
  [{ code: 'idempotency_key_in_flight' }, 409, 'idempotency_key_in_flight', '1'],
  [{ code: 'idempotency_key_reused' }, 422, 'idempotency_key_reused', undefined],
  [{ code: 'not_accepted' }, 503, 'temporarily_unavailable', '1'],
  [
    { code: 'ledger_refused', failureCode: 'account_closed', replayed: false },
    422,
    'account_closed',
    undefined,
  ],
];

describe('refusalProblem', () => {
  it.each(CASES)('answers %j as %i %s', (refusal, status, code, retryAfter) => {
    const response = problemResponse(refusalProblem(refusal), '/v1/x');
    expect(response.status).toBe(status);
    expect(response.headers['Retry-After']).toBe(retryAfter);
    expect(JSON.parse(response.body)).toMatchObject({
      type: `https://docs.rtp.example/problems/${code}`,
      status,
      code,
      instance: '/v1/x',
    });
  });

  it("tells a currency mismatch's account only to a caller who may see it", () => {
    const hidden = refusalProblem({
      code: 'currency_mismatch',
      operation: 'payment',
      currency: 'USD',
      account: null,
    });
    const told = refusalProblem({
      code: 'currency_mismatch',
      operation: 'deposit',
      currency: 'USD',
      account: { id: 'a', currency: 'EUR' },
    });
    expect(hidden.detail).toBe(
      'The payment is in USD, which the destination account does not hold.',
    );
    expect(told.detail).toBe('The deposit is in USD but account a holds EUR.');
  });

  it('names the maximum of an amount too large', () => {
    expect(refusalProblem({ code: 'amount_too_large', amountMinorMax: 10n }).extra).toEqual({
      amountMax: '10',
    });
  });
});
