import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayClient } from '../support/http-client';
import { GatewayAccount, GatewayPayment, paymentsOnceSettled } from '../support/ledger-payments';
import { Platform } from '../support/platform';

jest.setTimeout(240_000);

type Account = GatewayAccount;
type Payment = GatewayPayment;

const PAYMENTS = 80;
const AMOUNT = 100n;
const FUNDING = 1_000_000n;

describe('when the ledger is killed with SIGKILL mid-run', () => {
  const platform = new Platform();
  let client: GatewayClient;
  let source: Account;
  let destination: Account;

  const balanceOf = async (id: string) =>
    (await client.get<Account>(`/v1/accounts/${id}`)).body.balance;

  const waitUntilSettled = (ids: string[], timeoutMs: number) =>
    paymentsOnceSettled<Payment>(client, ids, Date.now() + timeoutMs, 500);

  beforeAll(async () => {
    await platform.start('ledger');
    await platform.start('gateway');
    const admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    client = admin.withKey(
      (await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Crashy' })).body.apiKey,
    );
    source = (await client.post<Account>('/v1/accounts', { currency: 'EUR' })).body;
    destination = (await client.post<Account>('/v1/accounts', { currency: 'EUR' })).body;
    const deposit = await admin.post(
      '/v1/admin/deposits',
      { accountId: source.id, amount: FUNDING.toString(), currency: 'EUR', reference: 'funding' },
      { 'idempotency-key': randomUUID() },
    );
    expect(deposit.body.status).toBe('completed');
  });

  afterAll(() => platform.stopAll());

  it('loses nothing, applies nothing twice, and takes new payments after a restart', async () => {
    const ids: string[] = [];
    const send = async () => {
      const response = await client.post<Payment>(
        '/v1/payments',
        {
          sourceAccountId: source.id,
          destinationAccountId: destination.id,
          amount: AMOUNT.toString(),
          currency: 'EUR',
        },
        { 'idempotency-key': randomUUID(), prefer: 'respond-async' },
      );
      expect([201, 202]).toContain(response.status);
      ids.push(response.body.id);
    };
    for (let index = 0; index < PAYMENTS; index += 1) {
      await send();
      if (index === PAYMENTS / 2) await platform.handle('ledger').kill('SIGKILL');
      if (index % 10 === 0) await sleep(20);
    }
    await platform.start('ledger');

    const settled = await waitUntilSettled(ids, 120_000);
    expect(settled.filter((payment) => payment.status === 'completed')).toHaveLength(PAYMENTS);
    const moved = AMOUNT * BigInt(PAYMENTS);
    expect(await balanceOf(source.id)).toEqual({
      posted: (FUNDING - moved).toString(),
      pending: '0',
      available: (FUNDING - moved).toString(),
    });
    expect((await balanceOf(destination.id)).posted).toBe(moved.toString());

    // A second crash with nothing in flight changes nothing.
    await platform.handle('ledger').kill('SIGKILL');
    await platform.start('ledger');
    expect((await balanceOf(source.id)).posted).toBe((FUNDING - moved).toString());

    const next = await client.post<Payment>(
      '/v1/payments',
      {
        sourceAccountId: source.id,
        destinationAccountId: destination.id,
        amount: '1',
        currency: 'EUR',
      },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    // The restarted ledger may still be rejoining its consumer group: wait for the outcome.
    expect([201, 202]).toContain(next.status);
    const [outcome] = await waitUntilSettled([next.body.id], 60_000);
    expect(outcome.status).toBe('completed');
    expect((await balanceOf(destination.id)).posted).toBe((moved + 1n).toString());
  });
});
