import { randomUUID } from 'node:crypto';
import { GatewayClient } from '../support/http-client';
import { Platform } from '../support/platform';

jest.setTimeout(120_000);

interface Account {
  id: string;
}

describe("the ledger's operator endpoints", () => {
  const platform = new Platform();
  let account: Account;

  const balance = (ledger: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${platform.port(ledger)}/internal/accounts/${account.id}/balance`, {
      headers,
    });

  beforeAll(async () => {
    await platform.start('ledger');
    await platform.start('gateway');
    const admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    const client = admin.withKey(
      (await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Operator view' })).body
        .apiKey,
    );
    account = (
      await client.post<Account>('/v1/accounts', { currency: 'EUR' }, { prefer: 'wait=10' })
    ).body;
    await admin.post(
      '/v1/admin/deposits',
      { accountId: account.id, amount: '250', currency: 'EUR', reference: 'r' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
  });

  afterAll(() => platform.stopAll());

  describe('with LEDGER_INTERNAL_API_KEY set', () => {
    it('answers 401 with WWW-Authenticate without the token or with a wrong one', async () => {
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer wrong-token-of-enough-length-000000000' },
        { authorization: platform.ledgerInternalApiKey },
      ];
      for (const headers of attempts) {
        const response = await balance('ledger', headers);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(await response.text()).not.toContain('postedMinor');
      }
    });

    it('answers 200 with the balance given the token', async () => {
      const response = await balance('ledger', {
        authorization: `Bearer ${platform.ledgerInternalApiKey}`,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ postedMinor: '250' });
    });
  });

  describe('without LEDGER_INTERNAL_API_KEY (closed by default)', () => {
    it('answers 403 to everyone, whatever token is sent', async () => {
      await platform.start('ledger-closed', { LEDGER_INTERNAL_API_KEY: '' });
      try {
        const attempts: Record<string, string>[] = [
          {},
          { authorization: `Bearer ${platform.ledgerInternalApiKey}` },
        ];
        for (const headers of attempts) {
          const response = await balance('ledger-closed', headers);
          expect(response.status).toBe(403);
          expect(await response.text()).not.toContain('postedMinor');
        }
      } finally {
        await platform.handle('ledger-closed').stop();
      }
    });
  });
});
