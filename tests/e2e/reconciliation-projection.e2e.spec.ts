import { reconciliationKey } from '@rtp/contracts';
import { FakeReconciler } from '../support/fake-reconciler';
import { GatewayClient } from '../support/http-client';
import { Platform } from '../support/platform';
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
});
