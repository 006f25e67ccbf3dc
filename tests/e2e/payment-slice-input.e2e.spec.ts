import { randomUUID } from 'node:crypto';
import { usePaymentSlice } from '../support/payment-slice';

jest.setTimeout(120_000);

describe('the payment slice over HTTP, refusals of bad input', () => {
  const slice = usePaymentSlice();

  describe('when the input is bad', () => {
    const valid = () => slice.transfer('10');
    const cases: [string, () => Record<string, unknown>, number, string][] = [
      ['a missing amount', () => ({ ...valid(), amount: undefined }), 400, 'invalid_amount'],
      [
        'a missing destination',
        () => ({ ...valid(), destinationAccountId: undefined }),
        400,
        'validation_failed',
      ],
      ['a negative amount', () => ({ ...valid(), amount: '-10' }), 400, 'invalid_amount'],
      ['a negative JSON number', () => ({ ...valid(), amount: -10 }), 400, 'invalid_amount'],
      ['a zero amount', () => ({ ...valid(), amount: '0' }), 400, 'invalid_amount'],
      ['a decimal amount', () => ({ ...valid(), amount: '10.50' }), 400, 'invalid_amount'],
      ['a fractional JSON number', () => ({ ...valid(), amount: 10.5 }), 400, 'invalid_amount'],
      ['an exponent', () => ({ ...valid(), amount: '1e3' }), 400, 'invalid_amount'],
      [
        'an integer beyond 2^53-1',
        () => ({ ...valid(), amount: 9007199254740993 }),
        400,
        'invalid_amount',
      ],
      [
        'more than 19 digits',
        () => ({ ...valid(), amount: '12345678901234567890' }),
        400,
        'invalid_amount',
      ],
      [
        'more than the maximum per request (PAYMENT_AMOUNT_MINOR_MAX, default 10^14)',
        () => ({ ...valid(), amount: '100000000000001' }),
        422,
        'amount_too_large',
      ],
      [
        'the largest 64-bit amount',
        () => ({ ...valid(), amount: '9223372036854775807' }),
        422,
        'amount_too_large',
      ],
      ['an unknown currency', () => ({ ...valid(), currency: 'XYZ' }), 400, 'invalid_currency'],
      ['a lower-case currency', () => ({ ...valid(), currency: 'eur' }), 400, 'invalid_currency'],
      [
        'another currency than the accounts',
        () => ({ ...valid(), currency: 'USD' }),
        400,
        'currency_mismatch',
      ],
      ['an unknown field', () => ({ ...valid(), note: 'x' }), 400, 'validation_failed'],
      [
        'an unknown destination account',
        () => ({ ...valid(), destinationAccountId: randomUUID() }),
        422,
        'destination_account_not_found',
      ],
      [
        'an unknown source account',
        () => ({ ...valid(), sourceAccountId: randomUUID() }),
        404,
        'account_not_found',
      ],
    ];

    it.each(cases)(
      'answers %s with a problem and changes nothing',
      async (_name, body, status, code) => {
        const before = await slice.balances();
        const response = await slice.client.post('/v1/payments', body(), {
          'idempotency-key': randomUUID(),
        });
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ status, code });
        expect(typeof response.body.title).toBe('string');
        expect(await slice.balances()).toEqual(before);
      },
    );

    it('requires an Idempotency-Key on money-moving requests', async () => {
      const response = await slice.client.post('/v1/payments', valid());
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('idempotency_key_required');
    });

    it('refuses a JSON number amount written with an exponent', async () => {
      const before = await slice.balances();
      const response = await slice.client.request('POST', '/v1/payments', {
        headers: { 'idempotency-key': randomUUID() },
        rawBody:
          `{"sourceAccountId":"${slice.source.id}","destinationAccountId":"${slice.destination.id}","amount":1e1,` +
          '"currency":"EUR"}',
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('invalid_amount');
      expect(await slice.balances()).toEqual(before);
    });

    it('answers malformed JSON with 400 and a body over 64 KiB with 413', async () => {
      const malformed = await slice.client.request('POST', '/v1/payments', {
        rawBody: '{"amount":',
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('malformed_json');
      const huge = await slice.client.request('POST', '/v1/payments', {
        rawBody: JSON.stringify({ ...valid(), reference: 'x'.repeat(70_000) }),
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe('body_too_large');
    });

    it('answers 401 without a valid key and 403 for a non-admin on admin routes', async () => {
      expect((await slice.client.withKey(null).get(`/v1/accounts/${slice.source.id}`)).status).toBe(
        401,
      );
      expect(
        (
          await slice.client
            .withKey('rtp_not_a_real_key_at_all_0000')
            .get(`/v1/accounts/${slice.source.id}`)
        ).status,
      ).toBe(401);
      const forbidden = await slice.client.post(
        '/v1/admin/deposits',
        { accountId: slice.source.id, amount: '1', currency: 'EUR', reference: 'x' },
        { 'idempotency-key': randomUUID() },
      );
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('forbidden');
    });
  });
});
