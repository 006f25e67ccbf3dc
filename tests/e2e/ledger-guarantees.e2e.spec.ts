import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayClient } from '../support/http-client';
import { GatewayAccount, GatewayPayment, paymentsOnceSettled } from '../support/ledger-payments';
import { LedgerDatabase, runVerify } from '../support/ledger-database';
import { Platform } from '../support/platform';

jest.setTimeout(600_000);

type Account = GatewayAccount;
type Payment = GatewayPayment;

describe('the ledger under concurrency and failure', () => {
  const platform = new Platform();
  const database = new LedgerDatabase();
  let admin: GatewayClient;
  let client: GatewayClient;

  const openAccount = async () =>
    (await client.post<Account>('/v1/accounts', { currency: 'EUR' }, { prefer: 'wait=10' })).body;
  const fund = async (account: Account, amount: bigint) => {
    const response = await admin.post(
      '/v1/admin/deposits',
      { accountId: account.id, amount: amount.toString(), currency: 'EUR', reference: 'funding' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    expect(response.body.status).toBe('completed');
  };
  const pay = (from: Account, to: Account, amount: bigint, prefer = 'respond-async') =>
    client.post<Payment>(
      '/v1/payments',
      {
        sourceAccountId: from.id,
        destinationAccountId: to.id,
        amount: amount.toString(),
        currency: 'EUR',
      },
      { 'idempotency-key': randomUUID(), prefer },
    );
  const posted = async (account: Account) =>
    BigInt((await client.get<Account>(`/v1/accounts/${account.id}`)).body.balance.posted);

  async function settled(ids: string[], timeoutMs: number): Promise<Payment[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const outcomes = await database.terminalOutcomes(ids);
      if (outcomes.size === ids.length || Date.now() > deadline) break;
      await sleep(500);
    }
    // The gateway's read model follows the ledger's events; give its projection a moment.
    return paymentsOnceSettled<Payment>(client, ids, deadline, 300);
  }

  beforeAll(async () => {
    await database.connect();
    await platform.start('ledger');
    await platform.start('gateway');
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    client = admin.withKey(
      (await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Load' })).body.apiKey,
    );
  });

  afterAll(async () => {
    await platform.stopAll();
    await database.end();
  });

  it('lets exactly 10 of 50 concurrent debits of 100 through a balance of 1,000', async () => {
    const [source, destination] = [await openAccount(), await openAccount()];
    await fund(source, 1_000n);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => pay(source, destination, 100n, 'wait=10')),
    );
    const payments = await settled(
      responses.map((response) => response.body.id),
      60_000,
    );
    expect(payments.filter((payment) => payment.status === 'completed')).toHaveLength(10);
    expect(payments.filter((payment) => payment.failureCode === 'insufficient_funds')).toHaveLength(
      40,
    );
    const availableSeen = await database.rows<{ available: string }>(
      `SELECT data->'balance'->>'availableMinor' AS available FROM ledger.events
       WHERE account_id = $1 AND data ? 'balance'`,
      [source.id],
    );
    expect(availableSeen.every((row) => BigInt(row.available) >= 0n)).toBe(true);
    expect(await posted(source)).toBe(0n);
    expect(await posted(destination)).toBe(1_000n);
  });

  it('survives crossing transfers and many payers into one hot account without deadlock or loss', async () => {
    const [a, b, hot] = [await openAccount(), await openAccount(), await openAccount()];
    const payers = await Promise.all(Array.from({ length: 20 }, openAccount));
    for (const account of [a, b, ...payers]) await fund(account, 10_000n);
    const requests: Promise<{ body: Payment }>[] = [];
    for (let round = 0; round < 25; round += 1) {
      requests.push(pay(a, b, 7n), pay(b, a, 11n));
      for (const payer of payers) requests.push(pay(payer, hot, 3n));
    }
    const ids = (await Promise.all(requests)).map((response) => response.body.id);
    const payments = await settled(ids, 120_000);
    expect(payments.every((payment) => payment.status === 'completed')).toBe(true);
    expect(await posted(a)).toBe(10_000n - 25n * 7n + 25n * 11n);
    expect(await posted(b)).toBe(10_000n + 25n * 7n - 25n * 11n);
    expect(await posted(hot)).toBe(20n * 25n * 3n);
    const total = (await Promise.all([a, b, hot, ...payers].map(posted))).reduce(
      (sum, value) => sum + value,
      0n,
    );
    expect(total).toBe(22n * 10_000n);
  });

  it("answers an account's balance as of a past instant, recomputed from its entries", async () => {
    const [a, b] = [await openAccount(), await openAccount()];
    const opened = new Date();
    await sleep(20);
    await fund(a, 1_000n);
    await sleep(20);
    const funded = new Date();
    await sleep(20);
    expect((await pay(a, b, 300n, 'wait=10')).body.status).toBe('completed');
    const balanceAt = async (instant: Date) =>
      (
        (await (
          await fetch(
            `http://127.0.0.1:${platform.port('ledger')}/internal/accounts/${a.id}/balance?asOf=${instant.toISOString()}`,
            { headers: { authorization: `Bearer ${platform.ledgerInternalApiKey}` } },
          )
        ).json()) as { postedMinor: string }
      ).postedMinor;
    expect(await balanceAt(opened)).toBe('0');
    expect(await balanceAt(funded)).toBe('1000');
    expect(await balanceAt(new Date())).toBe('700');
  });

  it('loses nothing and applies nothing twice across 5 SIGKILLs during 2,000 transfers', async () => {
    const accounts = await Promise.all(Array.from({ length: 40 }, openAccount));
    for (const account of accounts) await fund(account, 1_000_000n);
    const ids: string[] = [];
    const TRANSFERS = 2_000;
    const KILLS = 5;
    let killed = 0;
    const sender = (async () => {
      for (let index = 0; index < TRANSFERS; index += 20) {
        const batch = await Promise.all(
          Array.from({ length: 20 }, (_, offset) => {
            const from = accounts[(index + offset) % accounts.length];
            const to = accounts[(index + offset * 7 + 1) % accounts.length];
            return pay(
              from,
              to === from ? accounts[(accounts.indexOf(from) + 1) % accounts.length] : to,
              1n + BigInt(offset),
            );
          }),
        );
        for (const response of batch) {
          expect([201, 202]).toContain(response.status);
          ids.push(response.body.id);
        }
      }
    })();
    const killer = (async () => {
      while (killed < KILLS) {
        await sleep(1_500);
        await platform.handle('ledger').kill('SIGKILL');
        killed += 1;
        await platform.start('ledger');
      }
    })();
    await Promise.all([sender, killer]);
    expect(killed).toBe(KILLS);
    expect(ids).toHaveLength(TRANSFERS);

    const deadline = Date.now() + 180_000;
    let outcomes = await database.terminalOutcomes(ids);
    while (outcomes.size < ids.length && Date.now() < deadline) {
      await sleep(1_000);
      outcomes = await database.terminalOutcomes(ids);
    }
    expect(outcomes.size).toBe(TRANSFERS);
    expect([...outcomes.values()].filter((types) => types.length !== 1)).toEqual([]);
    const doubled = await database.rows(
      `SELECT data->>'paymentId' AS payment_id FROM ledger.events WHERE type = 'TransferDebited'
       AND data->>'paymentId' = ANY($1::text[]) GROUP BY 1 HAVING count(*) > 1`,
      [ids],
    );
    expect(doubled).toEqual([]);
    const total = (await Promise.all(accounts.map(posted))).reduce((sum, value) => sum + value, 0n);
    expect(total).toBe(40n * 1_000_000n);
    const verification = runVerify();
    expect(verification.output).toContain('The ledger is consistent.');
    expect(verification.code).toBe(0);
  });
});
