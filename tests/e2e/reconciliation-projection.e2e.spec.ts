import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { CONSUMER_GROUPS, TOPICS, reconciliationKey } from '@rtp/contracts';
import { FakeReconciler } from '../support/fake-reconciler';
import { GatewayClient } from '../support/http-client';
import { Platform, REPO_ROOT, requireEnv } from '../support/platform';
import { eventually, newOperator } from '../support/review-operators';

jest.setTimeout(120_000);

type Exception = Record<string, any> & { id: string; status: string };

describe('the projection of reconciliation.events.v1 into the review read models', () => {
  const platform = new Platform();
  const reconciler = new FakeReconciler(true);
  let admin: GatewayClient;
  let alice: GatewayClient;

  const path = (id: string) => `/v1/admin/reconciliation/exceptions/${encodeURIComponent(id)}`;
  const read = (id: string) => admin.get<Exception>(path(id));
  const shown = (id: string, done: (exception: Exception) => boolean) =>
    eventually(
      async () => (await read(id)).body,
      (body) => body.id === id && done(body),
    );

  beforeAll(async () => {
    await platform.start('gateway');
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    alice = (await newOperator(admin, `alice-${reconciler.run}`)).client;
    await reconciler.start();
  });

  afterAll(async () => {
    await reconciler.stop();
    await platform.stopAll();
  });

  describe('when events arrive twice or cannot be read', () => {
    it('projects an event delivered twice (same envelope id) once', async () => {
      const id = await reconciler.openException();
      const opened = reconciler.published.at(-1)!;
      await reconciler.publish('ExceptionOpened', opened.data, opened.id);
      const later = await reconciler.openException();
      await shown(later, () => true);
      const detail = (await read(id)).body;
      expect(detail.audit).toHaveLength(1);
      expect(detail.status).toBe('open');
    });

    it('dead-letters what it cannot read and projects what follows', async () => {
      await reconciler.openException();
      await reconciler.publishRaw('not json');
      const offContract = { ...reconciler.published.at(-1)!.data, class: 'no_such_class' };
      await reconciler.publishRaw(
        JSON.stringify({
          specversion: '1.0',
          id: `ExceptionOpened:${reconciler.run}:off-contract`,
          type: 'ExceptionOpened',
          dataversion: 1,
          source: 'reconciler',
          time: new Date().toISOString(),
          partitionkey: reconciliationKey(reconciler.partnerId),
          correlationid: 'off-contract',
          causationid: null,
          datacontenttype: 'application/json',
          data: offContract,
        }),
      );
      const after = await reconciler.openException();
      await shown(after, () => true);
      const letters = await reconciler.deadLetters(2);
      expect(letters.map((letter) => letter.reason)).toEqual([
        'message value is not JSON',
        'reconciliation event ExceptionOpened it cannot read',
      ]);
    });
  });

  describe('runs and rules', () => {
    it('sends an on-demand run and shows the runs and rules the reconciler published', async () => {
      const requested = await alice.post<Record<string, string>>('/v1/admin/reconciliation/runs', {
        partnerId: reconciler.partnerId,
        date: '2026-11-30',
      });
      expect(requested.status).toBe(202);
      const fetch = await reconciler.command('FetchStatement');
      const run = await reconciler.command('RunReconciliation');
      const expected = {
        requestId: requested.body.requestId,
        partnerId: reconciler.partnerId,
        date: '2026-11-30',
        requestedBy: `alice-${reconciler.run}`,
      };
      expect(fetch.data).toEqual(expected);
      expect(run.data).toEqual(expected);
      const counts = { matched: 98, missing_at_bank: 1, missing_in_ledger: 0 };
      await reconciler.publish('ReconciliationRunCompleted', {
        runId: `run-${reconciler.run}`,
        partnerId: reconciler.partnerId,
        date: '2026-11-30',
        trigger: 'on_demand',
        requestedBy: `alice-${reconciler.run}`,
        statementIds: ['stmt-1'],
        statementFound: true,
        linesTotal: 100,
        counts: { ...counts, amount_mismatch: 1, status_mismatch: 0 },
        matchedByRule: { 'end-to-end@1': 98 },
        matchRateBasisPoints: 9800,
        newExceptions: 2,
        autoResolved: 0,
        differencesBooked: 0,
        durationMs: 12,
        startedAt: new Date().toISOString(),
        at: new Date().toISOString(),
      });
      const rule = `end-to-end-${reconciler.run}`;
      await reconciler.publish('MatchingRulesActivated', {
        rules: [{ ruleId: rule, version: 1, strategy: '1:1', description: 'e2e', parameters: {} }],
        at: new Date().toISOString(),
      });
      const runs = await eventually(
        async () =>
          (
            await admin.get<{ data: Record<string, any>[] }>(
              `/v1/admin/reconciliation/runs?partnerId=${reconciler.partnerId}`,
            )
          ).body.data,
        (data) => data.length === 1,
      );
      expect(runs[0]).toMatchObject({ id: `run-${reconciler.run}`, matchRateBasisPoints: 9800 });
      const rules = await eventually(
        async () =>
          (await admin.get<{ data: Record<string, any>[] }>('/v1/admin/reconciliation/rules')).body
            .data,
        (data) => data.some((each) => each.ruleId === rule),
      );
      expect(rules.find((each) => each.ruleId === rule)).toMatchObject({
        version: 1,
        active: true,
      });
    });
  });

  describe('a rebuild', () => {
    it('rebuilds the review read models from the topic, equal to the live ones', async () => {
      await reconciler.openException();
      await caughtUp();
      await platform.stopAll();
      const live = await reviewTables(reconciler.run, reconciler.partnerId);
      expect(live['gateway.reconciliation_exceptions'].length).toBeGreaterThan(0);
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
      expect(await reviewTables(reconciler.run, reconciler.partnerId)).toEqual(live);
    });
  });
});

/**
 * This suite's rows of every review table: other suites share the tables, and their rows may
 * have been answered again after their gateways stopped (a real reconciler of a later suite
 * refusing a fake exception's action), which their live rows never saw.
 */
const REVIEW_TABLES: [string, string, 'exception' | 'partner' | 'rule'][] = [
  ['gateway.reconciliation_exceptions', 'exception_id LIKE $1', 'exception'],
  ['gateway.reconciliation_proposals', 'exception_id LIKE $1', 'exception'],
  ['gateway.reconciliation_audit', 'exception_id LIKE $1', 'exception'],
  ['gateway.reconciliation_actions', 'exception_id LIKE $1', 'exception'],
  ['gateway.reconciliation_runs', 'partner_id = $1', 'partner'],
  ['gateway.matching_rules', 'rule_id LIKE $1', 'rule'],
];

/** Every review table's rows, without the time each was last written (a projection's clock). */
async function reviewTables(run: string, partnerId: string): Promise<Record<string, unknown[]>> {
  const database = new Client({ connectionString: requireEnv('DATABASE_URL') });
  await database.connect();
  const mine = { exception: `exc:${run}:%`, partner: partnerId, rule: `%${run}%` };
  try {
    const tables: Record<string, unknown[]> = {};
    for (const [table, where, of] of REVIEW_TABLES) {
      const { rows } = await database.query(
        `SELECT to_jsonb(t) - 'updated_at' AS row FROM ${table} t WHERE ${where}
         ORDER BY to_jsonb(t)::text`,
        [mine[of]],
      );
      tables[table] = rows.map((each) => each.row);
    }
    return tables;
  } finally {
    await database.end();
  }
}

/** Until the live projection's stored positions reach the topic's end offsets. */
async function caughtUp(): Promise<void> {
  const kafka = new Kafka({ brokers: requireEnv('KAFKA_BROKERS').split(','), logLevel: 0 });
  const admin = kafka.admin();
  const database = new Client({ connectionString: requireEnv('DATABASE_URL') });
  await Promise.all([admin.connect(), database.connect()]);
  try {
    const ends = await admin.fetchTopicOffsets(TOPICS.reconciliationEvents);
    await eventually(
      async () => {
        const { rows } = await database.query(
          `SELECT partition, next_offset FROM gateway.consumer_offsets
           WHERE consumer_group = $1 AND topic = $2`,
          [CONSUMER_GROUPS.gatewayReconciliation, TOPICS.reconciliationEvents],
        );
        const stored = new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
        return ends.every((end) => (stored.get(end.partition) ?? 0n) >= BigInt(end.high));
      },
      (done) => done,
    );
  } finally {
    await admin.disconnect();
    await database.end();
  }
}
