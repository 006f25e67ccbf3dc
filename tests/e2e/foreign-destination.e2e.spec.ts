import { randomUUID } from 'node:crypto';
import { ApiResponse, GatewayClient } from '../support/http-client';
import { newClient, openAccount } from '../support/gateway-clients';
import { Platform } from '../support/platform';

jest.setTimeout(120_000);

interface Account {
  id: string;
  status: string;
  freeze: string;
  acceptsCreditsFromOtherClients: boolean;
  balance: { posted: string };
}
interface Payment {
  id: string;
  status: string;
  failureCode: string | null;
  code?: string;
}

/** The parts of a refusal a caller can compare, with the account id it names made neutral. */
function shapeOf(response: ApiResponse<object>, accountId: string) {
  const { detail, instance: _instance, ...rest } = response.body as Record<string, unknown>;
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    ...rest,
    detail: String(detail).replaceAll(accountId, '<id>'),
  };
}

describe("paying into another client's account", () => {
  const platform = new Platform();
  let admin: GatewayClient;
  let owner: GatewayClient;
  let payer: GatewayClient;
  let source: Account;

  const open = (client: GatewayClient, body: Record<string, unknown>) =>
    openAccount<Account>(client, body);
  const pay = (to: string, currency = 'EUR', amount = '10') =>
    payer.post<Payment>(
      '/v1/payments',
      { sourceAccountId: source.id, destinationAccountId: to, amount, currency },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
  const posted = async (client: GatewayClient, account: Account) =>
    (await client.get<Account>(`/v1/accounts/${account.id}`)).body.balance.posted;
  const allowCredits = (account: Account, allowed: boolean) =>
    owner.request<Account>('PATCH', `/v1/accounts/${account.id}`, {
      body: { acceptsCreditsFromOtherClients: allowed },
    });
  const freezeCredits = (account: Account) =>
    admin.post(
      `/v1/accounts/${account.id}/freeze`,
      { mode: 'credits', reason: 'under_review' },
      { prefer: 'wait=10' },
    );

  beforeAll(async () => {
    await platform.start('ledger');
    await platform.start('gateway');
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    owner = await newClient(admin, 'Owner');
    payer = await newClient(admin, 'Payer');
    source = await open(payer, { currency: 'EUR' });
    const funded = await admin.post<Payment>(
      '/v1/admin/deposits',
      { accountId: source.id, amount: '1000', currency: 'EUR', reference: 'funding' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    expect(funded.body.status).toBe('completed');
  });

  afterAll(() => platform.stopAll());

  it('opens accounts closed to other clients unless the owner asks otherwise', async () => {
    expect(await open(owner, { currency: 'EUR' })).toMatchObject({
      acceptsCreditsFromOtherClients: false,
    });
    expect(
      await open(owner, { currency: 'EUR', acceptsCreditsFromOtherClients: true }),
    ).toMatchObject({ acceptsCreditsFromOtherClients: true });
    const invalid = await owner.post('/v1/accounts', {
      currency: 'EUR',
      acceptsCreditsFromOtherClients: 'yes',
    });
    expect(invalid.status).toBe(400);
  });

  describe('when the owner has not allowed it', () => {
    it('answers exactly as for an account that does not exist, and moves nothing', async () => {
      const foreign = await open(owner, { currency: 'EUR' });
      const foreignInUsd = await open(owner, { currency: 'USD' });
      const frozen = await open(owner, { currency: 'EUR' });
      expect((await freezeCredits(frozen)).body).toMatchObject({ freeze: 'credits' });
      const unknownId = randomUUID();
      const unknown = shapeOf(await pay(unknownId), unknownId);
      expect(unknown).toMatchObject({ status: 422, code: 'destination_account_not_found' });
      for (const account of [foreign, foreignInUsd, frozen]) {
        const response = await pay(account.id);
        expect(shapeOf(response, account.id)).toEqual(unknown);
        expect(JSON.stringify(response.body)).not.toMatch(/USD|frozen|credits/i);
      }
      expect(await posted(payer, source)).toBe('1000');
      expect(await posted(owner, foreign)).toBe('0');
    });

    it('lets only the owner change the setting; others read 404, the admin 403', async () => {
      const account = await open(owner, { currency: 'EUR' });
      const path = `/v1/accounts/${account.id}`;
      const body = { body: { acceptsCreditsFromOtherClients: true } };
      expect((await payer.request('PATCH', path, body)).status).toBe(404);
      expect((await payer.request('PATCH', `/v1/accounts/${randomUUID()}`, body)).status).toBe(404);
      const byAdmin = await admin.request('PATCH', path, body);
      expect(byAdmin.status).toBe(403);
      expect(byAdmin.body.code).toBe('forbidden');
      expect((await owner.request('PATCH', path, { body: {} })).status).toBe(400);
      const unknownField = { body: { acceptsCreditsFromOtherClients: true, name: 'x' } };
      expect((await owner.request('PATCH', path, unknownField)).status).toBe(400);
      expect((await owner.get<Account>(path)).body.acceptsCreditsFromOtherClients).toBe(false);
    });
  });

  describe('when the owner has allowed credits from other clients', () => {
    it('completes the payment, which the payer still cannot read the account of', async () => {
      const account = await open(owner, { currency: 'EUR' });
      const allowed = await allowCredits(account, true);
      expect(allowed.status).toBe(200);
      expect(allowed.body).toMatchObject({ id: account.id, acceptsCreditsFromOtherClients: true });
      const before = await posted(payer, source);
      const payment = await pay(account.id, 'EUR', '25');
      expect(payment.status).toBe(201);
      expect(payment.body).toMatchObject({ status: 'completed', failureCode: null });
      expect(await posted(owner, account)).toBe('25');
      expect(BigInt(before) - BigInt(await posted(payer, source))).toBe(25n);
      expect((await payer.get(`/v1/accounts/${account.id}`)).status).toBe(404);
    });

    it('closes again when the owner withdraws the consent', async () => {
      const account = await open(owner, { currency: 'EUR', acceptsCreditsFromOtherClients: true });
      expect((await pay(account.id)).body.status).toBe('completed');
      expect((await allowCredits(account, false)).body.acceptsCreditsFromOtherClients).toBe(false);
      const refused = await pay(account.id);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('destination_account_not_found');
    });

    it("refuses another currency without naming the account's currency", async () => {
      const account = await open(owner, { currency: 'USD', acceptsCreditsFromOtherClients: true });
      const response = await pay(account.id);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('currency_mismatch');
      expect(JSON.stringify(response.body)).not.toContain('USD');
      expect(JSON.stringify(response.body)).not.toContain(account.id);
    });

    it('shows the payer a neutral code when the account refuses; its owner sees why', async () => {
      const account = await open(owner, { currency: 'EUR', acceptsCreditsFromOtherClients: true });
      await freezeCredits(account);
      const before = await posted(payer, source);
      const payment = await pay(account.id);
      expect(payment.status).toBe(201);
      expect(payment.body).toMatchObject({
        status: 'rejected',
        failureCode: 'destination_unavailable',
      });
      expect(JSON.stringify(payment.body)).not.toMatch(/frozen/);
      const path = `/v1/payments/${payment.body.id}`;
      expect((await payer.get<Payment>(path)).body.failureCode).toBe('destination_unavailable');
      const listed = await payer.get<{ data: Payment[] }>(`/v1/payments?accountId=${source.id}`);
      expect(listed.body.data.find((item) => item.id === payment.body.id)?.failureCode).toBe(
        'destination_unavailable',
      );
      expect((await owner.get<Payment>(path)).body.failureCode).toBe('account_frozen');
      expect((await admin.get<Payment>(path)).body.failureCode).toBe('account_frozen');
      expect(await posted(payer, source)).toBe(before);
    });
  });

  it('still tells a client why its own account refused a credit', async () => {
    const own = await open(payer, { currency: 'EUR' });
    await freezeCredits(own);
    const payment = await pay(own.id);
    expect(payment.body).toMatchObject({ status: 'rejected', failureCode: 'account_frozen' });
  });
});
