import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONSUMER_GROUPS } from '@rtp/contracts';
import { hashApiKey } from '@rtp/gateway/domain';
import { createKafka } from '@rtp/shared/kafka';
import { GatewayClient } from '../support/http-client';
import { Platform, REPO_ROOT, requireEnv } from '../support/platform';

jest.setTimeout(180_000);

interface Account {
  id: string;
}
interface Payment {
  id: string;
  status: string;
}

describe('two gateway replicas', () => {
  const platform = new Platform();

  beforeAll(async () => {
    await platform.start('ledger');
    await platform.start('gateway-a');
    await platform.start('gateway-b');
  });

  afterAll(() => platform.stopAll());

  it('each confirm payments whose outcome the other replica projected', async () => {
    const admin = createKafka({
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      clientId: 'test-replicas',
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    }).admin();
    await admin.connect();
    try {
      // Both replicas must own some of the event partitions before the test means anything.
      const deadline = Date.now() + 60_000;
      let members = 0;
      while (Date.now() < deadline) {
        const { groups } = await admin.describeGroups([CONSUMER_GROUPS.gatewayProjections]);
        members = groups[0].state === 'Stable' ? groups[0].members.length : 0;
        if (members >= 2) break;
        await sleep(500);
      }
      expect(members).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.disconnect();
    }
    const replicas = ['gateway-a', 'gateway-b'].map(
      (name) => new GatewayClient(platform.gatewayUrl(name), platform.adminApiKey),
    );
    const apiKey = (
      await replicas[0].post<{ apiKey: string }>('/v1/admin/clients', { name: 'Replicas' })
    ).body.apiKey;
    const clients = replicas.map((replica) => replica.withKey(apiKey));
    const accounts: Account[] = [];
    for (let index = 0; index < 12; index += 1) {
      const account = (
        await clients[index % 2].post<Account>(
          '/v1/accounts',
          { currency: 'EUR' },
          { prefer: 'wait=10' },
        )
      ).body;
      const funded = await replicas[(index + 1) % 2].post<Payment>(
        '/v1/admin/deposits',
        { accountId: account.id, amount: '1000', currency: 'EUR', reference: 'r' },
        { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
      );
      expect(funded.body.status).toBe('completed');
      accounts.push(account);
    }
    const responses = await Promise.all(
      accounts.flatMap((account, index) =>
        [0, 1].map((replica) =>
          clients[replica].post<Payment>(
            '/v1/payments',
            {
              sourceAccountId: account.id,
              destinationAccountId: accounts[(index + 5) % accounts.length].id,
              amount: '7',
              currency: 'EUR',
            },
            { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
          ),
        ),
      ),
    );
    expect(responses.map((response) => `${response.status} ${response.body.status}`)).toEqual(
      responses.map(() => '201 completed'),
    );
  });

  it('refuses a revoked key at once on every replica that had it in memory', async () => {
    const replicas = ['gateway-a', 'gateway-b'].map(
      (name) => new GatewayClient(platform.gatewayUrl(name), platform.adminApiKey),
    );
    const apiKey = (
      await replicas[1].post<{ apiKey: string }>('/v1/admin/clients', { name: 'Revoked' })
    ).body.apiKey;
    const clients = replicas.map((replica) => replica.withKey(apiKey));
    for (const client of clients) {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect((await client.get('/v1/payments?limit=1')).status).toBe(200);
      }
    }
    const database = new Client({ connectionString: requireEnv('DATABASE_URL') });
    await database.connect();
    try {
      // Revocation is an operator's UPDATE; the table's trigger announces it to every replica.
      await database.query('UPDATE gateway.api_keys SET revoked_at = now() WHERE key_hash = $1', [
        hashApiKey(apiKey),
      ]);
    } finally {
      await database.end();
    }
    const revokedAt = Date.now();
    const refusedAfterMs = await Promise.all(
      clients.map(async (client) => {
        while (Date.now() - revokedAt < 5_000) {
          if ((await client.get('/v1/payments?limit=1')).status === 401)
            return Date.now() - revokedAt;
          await sleep(20);
        }
        return Infinity;
      }),
    );
    // Far sooner than the cache's time to live (30 s): the notification made it forget the key.
    for (const elapsedMs of refusedAfterMs) expect(elapsedMs).toBeLessThan(1_000);
    for (const client of clients)
      expect((await client.get('/v1/payments?limit=1')).status).toBe(401);
  });

  it('rebuilds read models from the topics that equal the live ones', async () => {
    const database = new Client({ connectionString: requireEnv('DATABASE_URL') });
    await database.connect();
    const snapshot = async () => ({
      accounts: (
        await database.query(`SELECT account_id, client_id, currency, name, metadata, status, freeze_mode,
        posted_minor, pending_minor, last_sequence FROM gateway.accounts ORDER BY account_id`)
      ).rows,
      payments: (
        await database.query(`SELECT payment_id, kind, client_id, source_account_id, destination_account_id,
        amount_minor, currency, status, failure_code, failed_leg, reference, metadata
        FROM gateway.payments ORDER BY payment_id`)
      ).rows,
      entries: (
        await database.query('SELECT * FROM gateway.account_entries ORDER BY account_id, sequence')
      ).rows,
      actionOutcomes: (
        await database.query('SELECT * FROM gateway.account_action_outcomes ORDER BY command_id')
      ).rows,
      // Not a read model: the owners' settings must come through a rebuild untouched.
      settings: (await database.query('SELECT * FROM gateway.account_settings ORDER BY account_id'))
        .rows,
    });
    try {
      await platform.stopAll();
      const live = await snapshot();
      expect(live.payments.length).toBeGreaterThan(0);
      const rebuild = spawnSync(
        process.execPath,
        ['-r', '@swc-node/register', join('tools', 'rebuild', 'rebuild-gateway.ts')],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json') },
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(`${rebuild.stdout}${rebuild.stderr}`).toContain('rebuilt in');
      expect(rebuild.status).toBe(0);
      expect(await snapshot()).toEqual(live);
    } finally {
      await database.end();
    }
  });
});
