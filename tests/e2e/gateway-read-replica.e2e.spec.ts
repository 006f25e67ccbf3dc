import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { GatewayClient } from '../support/http-client';
import { Platform } from '../support/platform';

jest.setTimeout(120_000);

// `npm test` starts a streaming replica of its PostgreSQL; with externally given infrastructure, set
// RTP_TEST_READ_DATABASE_URL to a replica to run this test.
const replicaUrl = process.env.RTP_TEST_READ_DATABASE_URL;
const describeWithReplica = replicaUrl ? describe : describe.skip;

interface Account {
  id: string;
  balance: { posted: string };
}

describeWithReplica('a gateway reading from a streaming read replica', () => {
  const platform = new Platform();

  beforeAll(async () => {
    await platform.start('ledger');
    await platform.start('gateway', { READ_DATABASE_URL: replicaUrl! });
  });

  afterAll(() => platform.stopAll());

  it('serves reads from the replica and still confirms writes made on the primary', async () => {
    const admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    const client = admin.withKey(
      (await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Replica' })).body.apiKey,
    );
    const account = (
      await client.post<Account>('/v1/accounts', { currency: 'EUR' }, { prefer: 'wait=10' })
    ).body;
    const deposit = await admin.post(
      '/v1/admin/deposits',
      { accountId: account.id, amount: '250', currency: 'EUR', reference: 'r' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    expect(deposit.body.status).toBe('completed');
    // The replica trails the primary by a little: the read shows the deposit once it has replayed.
    let posted = '';
    for (let attempt = 0; attempt < 50 && posted !== '250'; attempt += 1) {
      const read = await client.get<Account>(`/v1/accounts/${account.id}`);
      posted = read.status === 200 ? read.body.balance.posted : '';
      if (posted !== '250') await sleep(100);
    }
    expect(posted).toBe('250');
    const replica = new Client({ connectionString: replicaUrl });
    await replica.connect();
    try {
      const { rows } = await replica.query(`SELECT pg_is_in_recovery() AS standby,
        (SELECT count(*)::int FROM pg_stat_activity WHERE application_name = 'gateway-reader') AS readers`);
      expect(rows[0]).toEqual({ standby: true, readers: expect.any(Number) });
      expect(rows[0].readers).toBeGreaterThan(0);
    } finally {
      await replica.end();
    }
  });
});
