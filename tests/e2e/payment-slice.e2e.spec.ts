import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { GatewayClient } from '../support/http-client';
import { Platform, requireEnv } from '../support/platform';

jest.setTimeout(120_000);

interface Account {
  id: string;
  status: string;
  currency: string;
  balance: Record<string, string>;
}

describe('the payment slice over HTTP', () => {
  const platform = new Platform();
  let admin: GatewayClient;
  let client: GatewayClient;
  let source: Account;
  let destination: Account;

  const balances = async () => ({
    source: (await client.get<Account>(`/v1/accounts/${source.id}`)).body.balance,
    destination: (await client.get<Account>(`/v1/accounts/${destination.id}`)).body.balance,
  });

  beforeAll(async () => {
    await platform.start('ledger');
    await platform.start('gateway');
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    const created = await admin.post<{ id: string; apiKey: string }>('/v1/admin/clients', {
      name: 'Acme',
    });
    expect(created.status).toBe(201);
    client = admin.withKey(created.body.apiKey);
    source = await openActive({ currency: 'EUR', name: 'main' });
    destination = await openActive({ currency: 'EUR' });
  });

  /**
   * Right after a restart the consumer groups may still be handing partitions over from the
   * previous test's processes (up to a session timeout), and an opening then answers 202: what
   * this suite checks starts once the account is open.
   */
  const openActive = async (body: object): Promise<Account> => {
    let account = (await client.post<Account>('/v1/accounts', body)).body;
    for (
      const deadline = Date.now() + 60_000;
      account.status === 'opening' && Date.now() < deadline;
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      account = (await client.get<Account>(`/v1/accounts/${account.id}`)).body;
    }
    return account;
  };

  afterAll(() => platform.stopAll());

  it('opens accounts, funds one by deposit, pays the other and reads both back', async () => {
    expect(source).toMatchObject({
      status: 'active',
      currency: 'EUR',
      balance: { posted: '0', available: '0' },
    });
    expect(destination.status).toBe('active');

    const deposit = await admin.post(
      '/v1/admin/deposits',
      { accountId: source.id, amount: '10000', currency: 'EUR', reference: 'initial funding' },
      { 'idempotency-key': randomUUID() },
    );
    expect(deposit.status).toBe(201);
    expect(deposit.body).toMatchObject({
      status: 'completed',
      amount: '10000',
      accountId: source.id,
    });

    const payment = await client.post(
      '/v1/payments',
      {
        sourceAccountId: source.id,
        destinationAccountId: destination.id,
        amount: '2500',
        currency: 'EUR',
        reference: 'invoice 42',
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(payment.status).toBe(201);
    expect(payment.body).toMatchObject({ status: 'completed', amount: '2500', failureCode: null });

    expect(await balances()).toEqual({
      source: { posted: '7500', pending: '0', available: '7500' },
      destination: { posted: '2500', pending: '0', available: '2500' },
    });
    const readBack = await client.get(`/v1/payments/${payment.body.id}`);
    expect(readBack.status).toBe(200);
    expect(readBack.body).toMatchObject({
      id: payment.body.id,
      status: 'completed',
      reference: 'invoice 42',
    });
    // The answer to the POST (built from the projection's notification) is the payment as stored.
    expect(payment.body).toEqual(readBack.body);
    const balance = await client.get(`/v1/accounts/${source.id}/balance`);
    expect(balance.body).toEqual({
      accountId: source.id,
      currency: 'EUR',
      posted: '7500',
      pending: '0',
      available: '7500',
    });
  });

  it('rejects a payment larger than the available balance with insufficient_funds', async () => {
    const before = await balances();
    const payment = await client.post(
      '/v1/payments',
      {
        sourceAccountId: source.id,
        destinationAccountId: destination.id,
        amount: '1000000',
        currency: 'EUR',
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(payment.status).toBe(201);
    expect(payment.body).toMatchObject({ status: 'rejected', failureCode: 'insufficient_funds' });
    expect(payment.body).toEqual((await client.get(`/v1/payments/${payment.body.id}`)).body);
    expect(await balances()).toEqual(before);
  });

  describe('when the same Idempotency-Key is sent again', () => {
    it('returns the original payment once, marked as replayed, and moves money once', async () => {
      const key = randomUUID();
      const body = {
        sourceAccountId: source.id,
        destinationAccountId: destination.id,
        amount: 100,
        currency: 'EUR',
      };
      const before = await balances();
      const first = await client.post('/v1/payments', body, { 'idempotency-key': key });
      const again = await client.post('/v1/payments', body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const after = await balances();
      expect(BigInt(before.source.posted) - BigInt(after.source.posted)).toBe(100n);
    });

    it('makes one payment of 20 concurrent requests with one key; the others replay it or get 409', async () => {
      const key = randomUUID();
      const body = {
        sourceAccountId: source.id,
        destinationAccountId: destination.id,
        amount: '3',
        currency: 'EUR',
      };
      const before = await balances();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          client.post('/v1/payments', body, { 'idempotency-key': key }),
        ),
      );
      const accepted = responses.filter(
        (response) => response.status === 201 || response.status === 202,
      );
      const conflicts = responses.filter((response) => response.status === 409);
      expect(accepted.length + conflicts.length).toBe(20);
      expect(new Set(accepted.map((response) => response.body.id)).size).toBe(1);
      for (const conflict of conflicts) {
        expect(conflict.body.code).toBe('idempotency_key_in_flight');
        expect(conflict.headers.get('retry-after')).toBe('1');
      }
      const after = await balances();
      expect(BigInt(before.source.posted) - BigInt(after.source.posted)).toBe(3n);
    });

    it('treats a key past its retention as new', async () => {
      const key = randomUUID();
      const body = {
        sourceAccountId: source.id,
        destinationAccountId: destination.id,
        amount: '2',
        currency: 'EUR',
      };
      const first = await client.post('/v1/payments', body, { 'idempotency-key': key });
      const database = new Client({ connectionString: requireEnv('DATABASE_URL') });
      await database.connect();
      await database.query(
        `UPDATE gateway.idempotency_keys SET expires_at = now() - interval '1 second'
        WHERE idempotency_key = $1`,
        [key],
      );
      await database.end();
      const later = await client.post(
        '/v1/payments',
        { ...body, amount: '4' },
        { 'idempotency-key': key },
      );
      expect(later.status).toBe(201);
      expect(later.body.id).not.toBe(first.body.id);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
    });

    it('answers 422 when the request differs', async () => {
      const key = randomUUID();
      const body = {
        sourceAccountId: source.id,
        destinationAccountId: destination.id,
        amount: '1',
        currency: 'EUR',
      };
      expect((await client.post('/v1/payments', body, { 'idempotency-key': key })).status).toBe(
        201,
      );
      const reused = await client.post(
        '/v1/payments',
        { ...body, amount: '2' },
        { 'idempotency-key': key },
      );
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('idempotency_key_reused');
    });
  });

  describe('when the input is bad', () => {
    const valid = () => ({
      sourceAccountId: source.id,
      destinationAccountId: destination.id,
      amount: '10',
      currency: 'EUR',
    });
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
        const before = await balances();
        const response = await client.post('/v1/payments', body(), {
          'idempotency-key': randomUUID(),
        });
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ status, code });
        expect(typeof response.body.title).toBe('string');
        expect(await balances()).toEqual(before);
      },
    );

    it('requires an Idempotency-Key on money-moving requests', async () => {
      const response = await client.post('/v1/payments', valid());
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('idempotency_key_required');
    });

    it('refuses a JSON number amount written with an exponent', async () => {
      const before = await balances();
      const response = await client.request('POST', '/v1/payments', {
        headers: { 'idempotency-key': randomUUID() },
        rawBody:
          `{"sourceAccountId":"${source.id}","destinationAccountId":"${destination.id}","amount":1e1,` +
          '"currency":"EUR"}',
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('invalid_amount');
      expect(await balances()).toEqual(before);
    });

    it('answers malformed JSON with 400 and a body over 64 KiB with 413', async () => {
      const malformed = await client.request('POST', '/v1/payments', {
        rawBody: '{"amount":',
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('malformed_json');
      const huge = await client.request('POST', '/v1/payments', {
        rawBody: JSON.stringify({ ...valid(), reference: 'x'.repeat(70_000) }),
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe('body_too_large');
    });

    it('answers 401 without a valid key and 403 for a non-admin on admin routes', async () => {
      expect((await client.withKey(null).get(`/v1/accounts/${source.id}`)).status).toBe(401);
      expect(
        (await client.withKey('rtp_not_a_real_key_at_all_0000').get(`/v1/accounts/${source.id}`))
          .status,
      ).toBe(401);
      const forbidden = await client.post(
        '/v1/admin/deposits',
        { accountId: source.id, amount: '1', currency: 'EUR', reference: 'x' },
        { 'idempotency-key': randomUUID() },
      );
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('forbidden');
    });
  });

  it("hides one client's accounts and payments from another (404)", async () => {
    const other = admin.withKey(
      (await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Other' })).body.apiKey,
    );
    expect((await other.get(`/v1/accounts/${source.id}`)).status).toBe(404);
    expect((await other.get(`/v1/accounts/${source.id}/balance`)).status).toBe(404);
    const theirs = await other.post<Account>('/v1/accounts', { currency: 'EUR' });
    const stealing = await other.post(
      '/v1/payments',
      {
        sourceAccountId: source.id,
        destinationAccountId: theirs.body.id,
        amount: '1',
        currency: 'EUR',
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(stealing.status).toBe(404);
    expect(stealing.body.code).toBe('account_not_found');
  });
});
