import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ApiResponse, GatewayClient } from '../support/http-client';
import { Platform, requireEnv } from '../support/platform';

jest.setTimeout(120_000);

interface Account {
  id: string;
  balance: { posted: string };
}
interface Payment {
  id: string;
  status: string;
  code?: string;
}

/** The requests of one burst, which the gateway is told to accept in exactly one group. */
const GROUP_SIZE = 16;

describe('accepting the payments that arrive together in one transaction', () => {
  const platform = new Platform();
  const database = new Client({ connectionString: requireEnv('DATABASE_URL') });
  let admin: GatewayClient;
  let client: GatewayClient;
  let clientId: string;
  let source: Account;
  let destination: Account;

  const pay = (key: string, amount: string) =>
    client.post<Payment>(
      '/v1/payments',
      { sourceAccountId: source.id, destinationAccountId: destination.id, amount, currency: 'EUR' },
      { 'idempotency-key': key, prefer: 'wait=10' },
    );
  const posted = async (account: Account) =>
    (await client.get<Account>(`/v1/accounts/${account.id}`)).body.balance.posted;
  /** The transactions that claimed these keys (a key's row is never updated once claimed). */
  const claimingTransactions = async (keys: string[]) =>
    (
      await database.query(
        `SELECT DISTINCT xmin::text AS xid FROM gateway.idempotency_keys
     WHERE client_id = $1 AND idempotency_key = ANY($2)`,
        [clientId, keys],
      )
    ).rows;

  beforeAll(async () => {
    await database.connect();
    await platform.start('ledger');
    // A long window and a group size equal to the burst: the burst is exactly one group.
    await platform.start('gateway', {
      GATEWAY_ACCEPT_WINDOW_MS: '100',
      GATEWAY_ACCEPT_GROUP_SIZE_MAX: String(GROUP_SIZE),
    });
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    const created = await admin.post<{ id: string; apiKey: string }>('/v1/admin/clients', {
      name: 'Grouped',
    });
    clientId = created.body.id;
    client = admin.withKey(created.body.apiKey);
    const open = async () =>
      (await client.post<Account>('/v1/accounts', { currency: 'EUR' }, { prefer: 'wait=10' })).body;
    source = await open();
    destination = await open();
    const funded = await admin.post<Payment>(
      '/v1/admin/deposits',
      { accountId: source.id, amount: '100000', currency: 'EUR', reference: 'funding' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    expect(funded.body.status).toBe('completed');
  });

  afterAll(async () => {
    await platform.stopAll();
    await database.end();
  });

  describe('when some requests of a group fail on their keys', () => {
    it('answers each of them on its own and accepts every other request of the group', async () => {
      const usedKey = randomUUID();
      const first = await pay(usedKey, '7');
      expect(first.status).toBe(201);
      const before = await posted(source);
      const freshKeys = Array.from({ length: GROUP_SIZE - 4 }, () => randomUUID());
      const twiceKey = randomUUID();
      const half = freshKeys.length / 2;
      const burst: { kind: string; response: Promise<ApiResponse<Payment>> }[] = [
        ...freshKeys.slice(0, half).map((key) => ({ kind: 'fresh', response: pay(key, '1') })),
        { kind: 'reused with another body', response: pay(usedKey, '8') },
        { kind: 'replayed', response: pay(usedKey, '7') },
        { kind: 'same key twice', response: pay(twiceKey, '2') },
        { kind: 'same key twice', response: pay(twiceKey, '2') },
        ...freshKeys.slice(half).map((key) => ({ kind: 'fresh', response: pay(key, '1') })),
      ];
      const answers = await Promise.all(
        burst.map(async ({ kind, response }) => ({ kind, response: await response })),
      );
      const of = (kind: string) =>
        answers.filter((answer) => answer.kind === kind).map(({ response }) => response);

      expect(of('fresh').map((response) => [response.status, response.body.status])).toEqual(
        freshKeys.map(() => [201, 'completed']),
      );
      const [reused] = of('reused with another body');
      expect([reused.status, reused.body.code]).toEqual([422, 'idempotency_key_reused']);
      const [replayed] = of('replayed');
      expect([
        replayed.status,
        replayed.body.id,
        replayed.headers.get('idempotent-replayed'),
      ]).toEqual([201, first.body.id, 'true']);
      const twice = of('same key twice')
        .map((response) => response.status)
        .sort();
      expect(twice).toEqual([201, 409]);

      // Every key the burst claimed was claimed by one and the same transaction.
      expect(await claimingTransactions([...freshKeys, twiceKey])).toHaveLength(1);
      expect(BigInt(before) - BigInt(await posted(source))).toBe(BigInt(freshKeys.length + 2));
    });
  });

  describe('when a request is alone', () => {
    it('is accepted once its window has passed', async () => {
      const startedAt = Date.now();
      const response = await pay(randomUUID(), '1');
      expect(response.status).toBe(201);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(100);
    });
  });
});
