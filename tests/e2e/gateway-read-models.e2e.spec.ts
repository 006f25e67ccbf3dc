import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayClient } from '../support/http-client';
import { Platform, REPO_ROOT } from '../support/platform';

jest.setTimeout(120_000);

interface Account {
  id: string;
  status: string;
  freeze: string;
}
interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
interface Entry {
  type: string;
  postedChange: string;
  postedAfter: string;
  paymentId: string;
}
interface Payment {
  id: string;
  status: string;
  failureCode: string | null;
}

describe("the gateway's account views and admin freezes", () => {
  const platform = new Platform();
  let admin: GatewayClient;
  let client: GatewayClient;
  let clientKey: string;
  let source: Account;
  let destination: Account;
  let beforeDeposit: Date;
  let afterDeposit: Date;
  let paymentId: string;

  const pay = (from: Account, to: Account, amount: string) =>
    client.post<Payment>(
      '/v1/payments',
      { sourceAccountId: from.id, destinationAccountId: to.id, amount, currency: 'EUR' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );

  beforeAll(async () => {
    await platform.start('ledger');
    await platform.start('gateway');
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    clientKey = (await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Views' })).body
      .apiKey;
    client = admin.withKey(clientKey);
    source = (
      await client.post<Account>('/v1/accounts', { currency: 'EUR' }, { prefer: 'wait=10' })
    ).body;
    destination = (
      await client.post<Account>('/v1/accounts', { currency: 'EUR' }, { prefer: 'wait=10' })
    ).body;
    beforeDeposit = new Date();
    await sleep(20);
    await admin.post(
      '/v1/admin/deposits',
      { accountId: source.id, amount: '1000', currency: 'EUR', reference: 'r' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    await sleep(20);
    afterDeposit = new Date();
    await sleep(20);
    const payment = await pay(source, destination, '300');
    expect(payment.body.status).toBe('completed');
    paymentId = payment.body.id;
  });

  afterAll(() => platform.stopAll());

  it("lists an account's entries newest first, one page at a time", async () => {
    const first = await client.get<Page<Entry>>(`/v1/accounts/${source.id}/entries?limit=1`);
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual([
      expect.objectContaining({
        type: 'TransferDebited',
        postedChange: '-300',
        postedAfter: '700',
      }),
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await client.get<Page<Entry>>(
      `/v1/accounts/${source.id}/entries?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.data).toEqual([
      expect.objectContaining({
        type: 'DepositCompleted',
        postedChange: '1000',
        postedAfter: '1000',
      }),
    ]);
    expect(second.body.nextCursor).toBeNull();
    const tampered = await client.get(`/v1/accounts/${source.id}/entries?cursor=not-a-cursor`);
    expect(tampered.status).toBe(400);
    expect(tampered.body.code).toBe('invalid_cursor');
  });

  it('answers a balance as of a past instant', async () => {
    const at = async (instant: Date) =>
      (await client.get(`/v1/accounts/${source.id}/balance?asOf=${instant.toISOString()}`)).body;
    expect(await at(beforeDeposit)).toMatchObject({ posted: '0', available: '0' });
    expect(await at(afterDeposit)).toMatchObject({ posted: '1000', available: '1000' });
    expect((await client.get(`/v1/accounts/${source.id}/balance?asOf=yesterday`)).status).toBe(400);
  });

  it("lists the client's payments, filtered and paged, and hides other clients' accounts", async () => {
    const page = await client.get<Page<Payment>>(
      `/v1/payments?accountId=${source.id}&status=completed&limit=10`,
    );
    expect(page.status).toBe(200);
    expect(page.body.data.length).toBeGreaterThanOrEqual(1);
    expect(page.body.data.every((payment) => payment.status === 'completed')).toBe(true);
    const other = admin.withKey(
      (await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Other' })).body.apiKey,
    );
    expect((await other.get(`/v1/payments?accountId=${source.id}`)).status).toBe(404);
    expect((await other.get<Page<Payment>>('/v1/payments')).body.data).toEqual([]);
    expect((await client.get('/v1/payments?status=lost')).status).toBe(400);
  });

  it("never answers 2xx to another client for anything that takes this client's ids", async () => {
    const other = admin.withKey(
      (await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Nosy' })).body.apiKey,
    );
    const theirs = (
      await other.post<Account>('/v1/accounts', { currency: 'EUR' }, { prefer: 'wait=10' })
    ).body;
    const key = () => ({ 'idempotency-key': randomUUID() });
    const attempts: [string, () => Promise<{ status: number }>][] = [
      ['GET account', () => other.get(`/v1/accounts/${source.id}`)],
      ['GET balance', () => other.get(`/v1/accounts/${source.id}/balance`)],
      [
        'GET balance as of',
        () => other.get(`/v1/accounts/${source.id}/balance?asOf=${afterDeposit.toISOString()}`),
      ],
      ['GET entries', () => other.get(`/v1/accounts/${source.id}/entries`)],
      ['GET payment', () => other.get(`/v1/payments/${paymentId}`)],
      ['GET payments of the account', () => other.get(`/v1/payments?accountId=${source.id}`)],
      [
        'POST payment from the account',
        () =>
          other.post(
            '/v1/payments',
            {
              sourceAccountId: source.id,
              destinationAccountId: theirs.id,
              amount: '1',
              currency: 'EUR',
            },
            key(),
          ),
      ],
      [
        'POST freeze',
        () => other.post(`/v1/accounts/${source.id}/freeze`, { mode: 'all', reason: 'nosy' }),
      ],
      [
        'POST unfreeze',
        () => other.post(`/v1/accounts/${source.id}/unfreeze`, { mode: 'all', reason: 'nosy' }),
      ],
      [
        'POST deposit',
        () =>
          other.post(
            '/v1/admin/deposits',
            { accountId: source.id, amount: '1', currency: 'EUR', reference: 'x' },
            key(),
          ),
      ],
    ];
    const answers = await Promise.all(
      attempts.map(async ([name, attempt]) => [name, (await attempt()).status]),
    );
    expect(answers.filter(([, status]) => Number(status) < 300)).toEqual([]);
    expect(answers.filter(([, status]) => status === 404).length).toBeGreaterThanOrEqual(7);
  });

  it('serves /health/live and /metrics', async () => {
    expect((await fetch(`${platform.gatewayUrl()}/health/live`)).status).toBe(200);
    const metrics = await (await fetch(`${platform.gatewayUrl()}/metrics`)).text();
    expect(metrics).toContain('process_cpu_seconds_total');
  });

  it('serves a valid OpenAPI 3.1 document at /openapi.json and browsable docs at /docs', async () => {
    const validation = spawnSync(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        join('tools', 'openapi', 'validate-openapi.ts'),
        `${platform.gatewayUrl()}/openapi.json`,
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(`${validation.stdout}${validation.stderr}`).toContain('valid OpenAPI 3.1');
    expect(validation.status).toBe(0);
    const docs = await fetch(`${platform.gatewayUrl()}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
    expect((await fetch(`${platform.gatewayUrl()}/docs/assets/swagger-ui-bundle.js`)).status).toBe(
      200,
    );
  });

  it("answers 429 with Retry-After past the key's rate limit", async () => {
    await platform.start('gateway-limited', { GATEWAY_RATE_LIMIT_PER_SECOND: '5' });
    const base = new GatewayClient(platform.gatewayUrl('gateway-limited'), clientKey);
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => base.get(`/v1/accounts/${source.id}`)),
    );
    const throttled = responses.filter((response) => response.status === 429);
    expect(responses.filter((response) => response.status === 200).length).toBeLessThanOrEqual(5);
    expect(throttled.length).toBeGreaterThanOrEqual(7);
    expect(throttled[0].body.code).toBe('rate_limited');
    expect(Number(throttled[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  describe('when an admin freezes debits', () => {
    it('refuses payments out, still takes payments in, and lifts on unfreeze', async () => {
      const forbidden = await client.post(`/v1/accounts/${source.id}/freeze`, {
        mode: 'debits',
        reason: 'fraud_review',
      });
      expect(forbidden.status).toBe(403);
      const frozen = await admin.post<Account>(
        `/v1/accounts/${source.id}/freeze`,
        { mode: 'debits', reason: 'fraud_review' },
        { prefer: 'wait=10' },
      );
      expect(frozen.status).toBe(200);
      expect(frozen.body).toMatchObject({ status: 'frozen', freeze: 'debits' });
      expect((await pay(source, destination, '1')).body).toMatchObject({
        status: 'rejected',
        failureCode: 'account_frozen',
      });
      expect((await pay(destination, source, '1')).body.status).toBe('completed');
      const lifted = await admin.post<Account>(
        `/v1/accounts/${source.id}/unfreeze`,
        { mode: 'debits', reason: 'review_cleared' },
        { prefer: 'wait=10' },
      );
      expect(lifted.body).toMatchObject({ status: 'active', freeze: 'none' });
      expect((await pay(source, destination, '1')).body.status).toBe('completed');
    });

    it('refuses a bad mode or reason with 400', async () => {
      const response = await admin.post(`/v1/accounts/${source.id}/freeze`, {
        mode: 'some',
        reason: 'Bad Reason',
      });
      expect(response.status).toBe(400);
    });
  });
});
