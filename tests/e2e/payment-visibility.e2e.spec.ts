import { randomUUID } from 'node:crypto';
import { GatewayClient } from '../support/http-client';
import { newClient, openAccount } from '../support/gateway-clients';
import { Platform } from '../support/platform';

jest.setTimeout(120_000);

interface Account {
  id: string;
}
interface Payment {
  id: string;
  status: string;
  initiatedBy: string;
  sourceAccountId: string;
}
interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
interface Entry {
  type: string;
  paymentId: string;
  postedChange: string;
}

describe('who sees a payment', () => {
  const platform = new Platform();
  let admin: GatewayClient;
  let alice: GatewayClient;
  let bob: GatewayClient;
  let carol: GatewayClient;
  let aliceMain: Account;
  let aliceSavings: Account;
  let bobShop: Account;

  const open = (client: GatewayClient, body: Record<string, unknown> = {}) =>
    openAccount<Account>(client, { currency: 'EUR', ...body });
  const pay = async (by: GatewayClient, from: Account, to: Account) => {
    const response = await by.post<Payment>(
      '/v1/payments',
      { sourceAccountId: from.id, destinationAccountId: to.id, amount: '5', currency: 'EUR' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    expect(response.body.status).toBe('completed');
    return response.body;
  };
  const listed = async (client: GatewayClient, query = '') =>
    (await client.get<Page<Payment>>(`/v1/payments?limit=100${query}`)).body.data.map(
      (payment) => payment.id,
    );

  beforeAll(async () => {
    await platform.start('ledger');
    await platform.start('gateway');
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    [alice, bob, carol] = await Promise.all(
      ['Alice', 'Bob', 'Carol'].map((name) => newClient(admin, name)),
    );
    aliceMain = await open(alice);
    aliceSavings = await open(alice);
    bobShop = await open(bob, { acceptsCreditsFromOtherClients: true });
    await admin.post(
      '/v1/admin/deposits',
      { accountId: aliceMain.id, amount: '100', currency: 'EUR', reference: 'funding' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
  });

  afterAll(() => platform.stopAll());

  describe("when the admin pays from a client's account", () => {
    it('shows it to the owner of the source, as initiated by the admin, and lists it', async () => {
      const payment = await pay(admin, aliceMain, aliceSavings);
      const read = await alice.get<Payment>(`/v1/payments/${payment.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id: payment.id,
        sourceAccountId: aliceMain.id,
        initiatedBy: 'admin',
      });
      expect(await listed(alice)).toContain(payment.id);
      expect(await listed(alice, `&accountId=${aliceMain.id}`)).toContain(payment.id);
      const entries = await alice.get<Page<Entry>>(`/v1/accounts/${aliceMain.id}/entries`);
      expect(entries.body.data).toContainEqual(
        expect.objectContaining({
          type: 'TransferDebited',
          paymentId: payment.id,
          postedChange: '-5',
        }),
      );
    });

    it('shows it to the owners of both accounts when it goes to another client', async () => {
      const payment = await pay(admin, aliceMain, bobShop);
      for (const client of [alice, bob]) {
        expect((await client.get(`/v1/payments/${payment.id}`)).status).toBe(200);
        expect(await listed(client)).toContain(payment.id);
      }
      expect((await carol.get(`/v1/payments/${payment.id}`)).status).toBe(404);
      expect(await listed(carol)).not.toContain(payment.id);
    });
  });

  it("shows a client's payment to it and to the payee, as initiated by the owner", async () => {
    const payment = await pay(alice, aliceMain, bobShop);
    expect(payment.initiatedBy).toBe('account_owner');
    const read = await bob.get<Payment>(`/v1/payments/${payment.id}`);
    expect(read.body.initiatedBy).toBe('account_owner');
    expect(await listed(bob, `&accountId=${bobShop.id}`)).toContain(payment.id);
    expect((await carol.get(`/v1/payments/${payment.id}`)).status).toBe(404);
    expect((await carol.get(`/v1/payments?accountId=${aliceMain.id}`)).status).toBe(404);
  });

  it('shows a deposit to the owner of the credited account as initiated by the admin', async () => {
    const deposit = await admin.post<Payment>(
      '/v1/admin/deposits',
      { accountId: aliceSavings.id, amount: '7', currency: 'EUR', reference: 'wire' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    const read = await alice.get<Payment>(`/v1/payments/${deposit.body.id}`);
    expect(read.body).toMatchObject({ status: 'completed', initiatedBy: 'admin' });
    expect((await bob.get(`/v1/payments/${deposit.body.id}`)).status).toBe(404);
  });
});
