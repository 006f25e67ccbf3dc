import { randomUUID } from 'node:crypto';
import { ApiResponse, GatewayClient } from '../support/http-client';
import { newClient, openAccount } from '../support/gateway-clients';
import { Platform } from '../support/platform';

jest.setTimeout(120_000);

interface Account {
  id: string;
  status: string;
  freeze: string;
  code?: string;
}

describe('admin freezes with an Idempotency-Key', () => {
  const platform = new Platform();
  let admin: GatewayClient;
  let client: GatewayClient;

  const open = () => openAccount<Account>(client, { currency: 'EUR' });
  const act = (
    action: 'freeze' | 'unfreeze',
    account: Account,
    key: string | null,
    body: Record<string, string> = { mode: 'debits', reason: 'fraud_review' },
    prefer = 'wait=10',
  ) =>
    admin.post<Account>(`/v1/accounts/${account.id}/${action}`, body, {
      prefer,
      ...(key === null ? {} : { 'idempotency-key': key }),
    });
  const current = async (account: Account) =>
    (await admin.get<Account>(`/v1/accounts/${account.id}`)).body;
  const replayed = (response: ApiResponse<object>) => response.headers.get('idempotent-replayed');

  beforeAll(async () => {
    await platform.start('ledger');
    await platform.start('gateway');
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    client = await newClient(admin, 'Frozen');
  });

  afterAll(() => platform.stopAll());

  describe('when a freeze is sent again with its key after an unfreeze', () => {
    it('replays the original outcome, says so, and freezes nothing', async () => {
      const account = await open();
      const key = randomUUID();
      const first = await act('freeze', account, key);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: 'frozen', freeze: 'debits' });
      expect(replayed(first)).toBeNull();
      const lifted = await act('unfreeze', account, randomUUID());
      expect(lifted.body).toMatchObject({ status: 'active', freeze: 'none' });
      const again = await act('freeze', account, key);
      expect(again.status).toBe(200);
      expect(replayed(again)).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await current(account)).toMatchObject({ status: 'active', freeze: 'none' });
    });
  });

  it('freezes again under a new key', async () => {
    const account = await open();
    await act('freeze', account, randomUUID());
    await act('unfreeze', account, randomUUID());
    const again = await act('freeze', account, randomUUID());
    expect(replayed(again)).toBeNull();
    expect(again.body).toMatchObject({ status: 'frozen', freeze: 'debits' });
  });

  it('answers 422 when the key was used for another request, and changes nothing', async () => {
    const account = await open();
    const key = randomUUID();
    await act('freeze', account, key);
    const cases: [string, () => Promise<ApiResponse<Account>>][] = [
      ['an unfreeze', () => act('unfreeze', account, key)],
      ['another mode', () => act('freeze', account, key, { mode: 'all', reason: 'fraud_review' })],
      [
        'another reason',
        () => act('freeze', account, key, { mode: 'debits', reason: 'court_order' }),
      ],
    ];
    for (const [, attempt] of cases) {
      const response = await attempt();
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('idempotency_key_reused');
    }
    expect(await current(account)).toMatchObject({ status: 'frozen', freeze: 'debits' });
  });

  it('applies every request without a key', async () => {
    const account = await open();
    expect((await act('freeze', account, null)).body.freeze).toBe('debits');
    expect((await act('unfreeze', account, null)).body.freeze).toBe('none');
    const again = await act('freeze', account, null);
    expect(replayed(again)).toBeNull();
    expect(again.body.freeze).toBe('debits');
  });

  it('refuses a malformed key instead of ignoring it', async () => {
    const response = await act('freeze', await open(), 'k'.repeat(256));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('idempotency_key_required');
  });

  it('answers 202 when not yet applied, and a replay later answers the outcome', async () => {
    const account = await open();
    const key = randomUUID();
    const accepted = await act('freeze', account, key, undefined, 'respond-async');
    expect(accepted.status).toBe(202);
    const deadline = Date.now() + 10_000;
    while ((await current(account)).freeze !== 'debits' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const again = await act('freeze', account, key);
    expect(again.status).toBe(200);
    expect(replayed(again)).toBe('true');
    expect(again.body).toMatchObject({ status: 'frozen', freeze: 'debits' });
  });
});
