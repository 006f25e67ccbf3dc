import { randomUUID } from 'node:crypto';
import { GatewayClient } from './http-client';
import { Platform } from './platform';

export interface SliceAccount {
  id: string;
  status: string;
  currency: string;
  balance: Record<string, string>;
}

/** A running ledger and gateway with one client and two of its EUR accounts, both active. */
export interface PaymentSlice {
  platform: Platform;
  admin: GatewayClient;
  client: GatewayClient;
  source: SliceAccount;
  destination: SliceAccount;
  /** Both accounts' balances as the client reads them now. */
  balances(): Promise<{ source: Record<string, string>; destination: Record<string, string> }>;
  /** A transfer from the source to the destination, as the client sends it. */
  transfer(amount: string | number, extra?: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Right after a restart the consumer groups may still be handing partitions over from the
 * previous test's processes (up to a session timeout), and an opening then answers 202: what a
 * suite checks starts once the account is open.
 */
async function openActive(client: GatewayClient, body: object): Promise<SliceAccount> {
  let account = (await client.post<SliceAccount>('/v1/accounts', body)).body;
  for (
    const deadline = Date.now() + 60_000;
    account.status === 'opening' && Date.now() < deadline;
  ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    account = (await client.get<SliceAccount>(`/v1/accounts/${account.id}`)).body;
  }
  return account;
}

/** Deposits into the source account and waits until the deposit completed. */
async function fund(slice: PaymentSlice, amountMinor: string): Promise<void> {
  const deposit = await slice.admin.post(
    '/v1/admin/deposits',
    { accountId: slice.source.id, amount: amountMinor, currency: 'EUR', reference: 'funding' },
    { 'idempotency-key': randomUUID() },
  );
  expect(deposit.body).toMatchObject({ status: 'completed' });
}

/**
 * Starts the slice before the suite's tests (a ledger, a gateway, the client Acme with a `main` and
 * a second EUR account, the first funded with `fundedMinor` if given) and stops it after them.
 * Its fields are set once the suite has started.
 */
export function usePaymentSlice(options: { fundedMinor?: string } = {}): PaymentSlice {
  const slice = { platform: new Platform() } as PaymentSlice;
  slice.balances = async () => ({
    source: (await slice.client.get<SliceAccount>(`/v1/accounts/${slice.source.id}`)).body.balance,
    destination: (await slice.client.get<SliceAccount>(`/v1/accounts/${slice.destination.id}`)).body
      .balance,
  });
  slice.transfer = (amount, extra = {}) => ({
    sourceAccountId: slice.source.id,
    destinationAccountId: slice.destination.id,
    amount,
    currency: 'EUR',
    ...extra,
  });

  beforeAll(async () => {
    await slice.platform.start('ledger');
    await slice.platform.start('gateway');
    slice.admin = new GatewayClient(slice.platform.gatewayUrl(), slice.platform.adminApiKey);
    const created = await slice.admin.post<{ id: string; apiKey: string }>('/v1/admin/clients', {
      name: 'Acme',
    });
    expect(created.status).toBe(201);
    slice.client = slice.admin.withKey(created.body.apiKey);
    slice.source = await openActive(slice.client, { currency: 'EUR', name: 'main' });
    slice.destination = await openActive(slice.client, { currency: 'EUR' });
    if (options.fundedMinor !== undefined) await fund(slice, options.fundedMinor);
  });

  afterAll(() => slice.platform.stopAll());

  return slice;
}
