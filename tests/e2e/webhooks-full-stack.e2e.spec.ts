import { randomUUID } from 'node:crypto';
import { PaymentWebhook, startWebhookReceiver } from '../../tools/webhook-receiver-example';
import { GatewayClient } from '../support/http-client';
import { Platform } from '../support/platform';
import { closedPort, until } from '../support/webhooks';

jest.setTimeout(180_000);

type Account = { id: string; status: string };

describe('webhooks of real payments (ledger and gateway as processes)', () => {
  const platform = new Platform();
  let admin: GatewayClient;

  beforeAll(async () => {
    await platform.start('ledger');
    await platform.start('gateway', {
      GATEWAY_WEBHOOK_ALLOW_LOOPBACK: 'true',
      GATEWAY_WEBHOOK_POLL_INTERVAL_MS: '50',
    });
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
  });

  afterAll(() => platform.stopAll());

  async function clientWithReceiver(name: string) {
    const created = await admin.post<{ id: string; apiKey: string }>('/v1/admin/clients', { name });
    const client = admin.withKey(created.body.apiKey);
    const port = await closedPort();
    const endpoint = await client.post<{ id: string; secret: string }>('/v1/webhook-endpoints', {
      url: `http://127.0.0.1:${port}/webhooks`,
      eventTypes: ['PaymentProcessing', 'PaymentCompleted', 'PaymentRejected', 'DepositCompleted'],
    });
    expect(endpoint.status).toBe(201);
    const received: PaymentWebhook[] = [];
    const receiver = await startWebhookReceiver({
      secret: endpoint.body.secret,
      port,
      onEvent: (event) => received.push(event),
    });
    return { client, received, receiver };
  }

  async function openActive(client: GatewayClient): Promise<Account> {
    let account = (await client.post<Account>('/v1/accounts', { currency: 'EUR' })).body;
    const deadline = Date.now() + 60_000;
    while (account.status === 'opening' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      account = (await client.get<Account>(`/v1/accounts/${account.id}`)).body;
    }
    return account;
  }

  it("tells the paying client of its transfer's statuses and the owner of its deposit, in order, verified, and no one else", async () => {
    const alice = await clientWithReceiver('alice');
    const bob = await clientWithReceiver('bob');
    const source = await openActive(alice.client);
    const destination = await openActive(alice.client);
    const deposit = await admin.post(
      '/v1/admin/deposits',
      { accountId: source.id, amount: '5000', currency: 'EUR', reference: 'funding' },
      { 'idempotency-key': randomUUID() },
    );
    expect(deposit.body).toMatchObject({ status: 'completed' });
    // The deposit into Alice's account is hers, though the admin sent it.
    const depositId = (deposit.body as { id: string }).id;
    await until(
      () =>
        alice.received.some(
          (event) => event.type === 'DepositCompleted' && event.data.payment.id === depositId,
        ),
      30_000,
    );
    const paid = await alice.client.post<{ id: string; status: string }>(
      '/v1/payments',
      {
        sourceAccountId: source.id,
        destinationAccountId: destination.id,
        amount: '1200',
        currency: 'EUR',
      },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    expect(paid.body.status).toBe('completed');
    await until(
      () =>
        alice.received.some(
          (event) => event.type === 'PaymentCompleted' && event.data.payment.id === paid.body.id,
        ),
      30_000,
    );
    const ofPayment = alice.received.filter((event) => event.data.payment.id === paid.body.id);
    expect(ofPayment.at(-1)!.data.payment).toMatchObject({ status: 'completed', amount: '1200' });
    const sequences = ofPayment.map((event) => event.data.statusSequence);
    expect(sequences).toEqual([...sequences].sort((left, right) => left - right));
    // Bob's endpoint hears nothing of Alice's payments.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(bob.received).toEqual([]);
    for (const { receiver } of [alice, bob]) {
      await new Promise((resolve) => receiver.server.close(resolve));
    }
  });
});
