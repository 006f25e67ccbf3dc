import { randomUUID } from 'node:crypto';
import { reconciliationKey } from '@rtp/contracts';
import { FakeReconciler } from '../support/fake-reconciler';
import { GatewayClient } from '../support/http-client';
import { Platform } from '../support/platform';
import { eventually, newOperator } from '../support/review-operators';

jest.setTimeout(120_000);

type Exception = Record<string, any> & { id: string; status: string };

describe('the reconciliation review API (a real gateway, a fake reconciler on Kafka)', () => {
  const platform = new Platform();
  const reconciler = new FakeReconciler(true);
  let admin: GatewayClient;
  let alice: GatewayClient;
  let bob: GatewayClient;

  const path = (id: string) => `/v1/admin/reconciliation/exceptions/${encodeURIComponent(id)}`;
  const read = (id: string) => admin.get<Exception>(path(id));
  const shown = (id: string, done: (exception: Exception) => boolean) =>
    eventually(
      async () => (await read(id)).body,
      (body) => body.id === id && done(body),
    ).then((body) => body);
  const propose = (client: GatewayClient, id: string, body: object, headers = {}) =>
    client.post<Record<string, any>>(`${path(id)}/proposals`, body, headers);

  beforeAll(async () => {
    await platform.start('gateway');
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    alice = (await newOperator(admin, `alice-${reconciler.run}`)).client;
    bob = (await newOperator(admin, `bob-${reconciler.run}`)).client;
    await reconciler.start();
  });

  afterAll(async () => {
    await reconciler.stop();
    await platform.stopAll();
  });

  describe('when the reconciler opens exceptions', () => {
    it('lists them oldest first with their age, filtered, and shows both sides', async () => {
      const old = new Date(Date.now() - 50 * 3_600_000).toISOString();
      const older = await reconciler.openException({ detectedAt: old, class: 'missing_at_bank' });
      const fresh = await reconciler.openException();
      await shown(fresh, () => true);
      const list = async (query: string) =>
        (
          await admin.get<{ data: Exception[] }>(
            `/v1/admin/reconciliation/exceptions?partnerId=${reconciler.partnerId}${query}`,
          )
        ).body.data;
      const all = await list('');
      expect(all.map((each) => each.id)).toEqual([older, fresh]);
      expect(all[0]).toMatchObject({ status: 'open', ageBucket: '1d_to_3d', amountAtRisk: '25' });
      expect(all[0].ageSeconds).toBeGreaterThanOrEqual(50 * 3600);
      expect((await list('&minAgeHours=24')).map((each) => each.id)).toEqual([older]);
      expect((await list('&class=amount_mismatch')).map((each) => each.id)).toEqual([fresh]);
      expect(await list('&currency=USD')).toEqual([]);
      const detail = (await read(fresh)).body;
      expect(detail.ledgerSide[0]).toMatchObject({ kind: 'payout', amount: '125000' });
      expect(detail.bankSide[0]).toMatchObject({ amount: '124975', bookingDate: '2026-11-30' });
      expect(detail.audit.map((entry: { type: string }) => entry.type)).toEqual([
        'ExceptionOpened',
      ]);
    });

    it('refuses bad filters and unknown exceptions as problems', async () => {
      const bad = await admin.get('/v1/admin/reconciliation/exceptions?minAgeHours=-1');
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      const unknown = await admin.get(path(`exc:${reconciler.run}:none`));
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ code: 'exception_not_found' });
      expect((await admin.get(path('x'.repeat(201)))).status).toBe(400);
      expect((await admin.get(path('exception:other partner:a/b#c'))).status).toBe(404);
    });
  });

  describe('maker-checker on a resolution that moves money', () => {
    it('sends the proposal and the approval of two operators, and shows the outcome', async () => {
      const id = await reconciler.openException();
      await shown(id, () => true);
      const byBootstrap = await propose(admin, id, { resolution: 'accept_bank', note: 'fee' });
      expect(byBootstrap.status).toBe(403);
      expect(byBootstrap.body).toMatchObject({ code: 'operator_required' });
      const noNote = await propose(alice, id, { resolution: 'accept_bank', note: ' ' });
      expect(noNote.status).toBe(400);
      const proposed = await propose(alice, id, {
        resolution: 'accept_bank',
        note: 'The partner charged a 0.25 EUR fee',
      });
      expect(proposed.status).toBe(202);
      const { actionId } = proposed.body;
      const command = await reconciler.command('ProposeResolution', (c) => c.id === actionId);
      expect(command.key).toBe(reconciliationKey(reconciler.partnerId));
      expect(command.data).toEqual({
        exceptionId: id,
        actionId,
        resolution: 'accept_bank',
        note: 'The partner charged a 0.25 EUR fee',
        actor: `alice-${reconciler.run}`,
      });
      const waiting = await shown(id, (body) => body.status === 'awaiting_approval');
      expect(waiting.proposals).toEqual([
        expect.objectContaining({
          id: actionId,
          status: 'pending',
          actor: `alice-${reconciler.run}`,
        }),
      ]);
      expect(waiting.actions).toEqual([
        expect.objectContaining({ id: actionId, kind: 'propose', status: 'done' }),
      ]);
      const twice = await propose(bob, id, { resolution: 'dismiss', note: 'another one' });
      expect(twice.body).toMatchObject({ code: 'exception_not_open', status: 'awaiting_approval' });
      const approval = `${path(id)}/proposals/${actionId}/approval`;
      const own = await alice.post(approval, {});
      expect(own.status).toBe(403);
      expect(own.body).toMatchObject({ code: 'same_actor' });
      const approved = await bob.post<Record<string, string>>(approval, {});
      expect(approved.status).toBe(202);
      const approve = await reconciler.command(
        'ApproveResolution',
        (c) => c.data.exceptionId === id,
      );
      expect(approve.data).toEqual({
        exceptionId: id,
        actionId: approved.body.actionId,
        proposalId: actionId,
        actor: `bob-${reconciler.run}`,
      });
      const resolved = await shown(id, (body) => body.status === 'resolved');
      expect(resolved.resolution).toMatchObject({
        resolution: 'accept_bank',
        resolvedBy: `alice-${reconciler.run}`,
        approvedBy: `bob-${reconciler.run}`,
        ledgerCommandId: `book-difference:${id}`,
      });
      expect(resolved.audit.map((entry: { type: string }) => entry.type)).toEqual([
        'ExceptionOpened',
        'ExceptionResolutionProposed',
        'ExceptionResolutionApproved',
        'ExceptionResolved',
      ]);
      expect((await bob.post(approval, {})).body).toMatchObject({
        code: 'exception_not_open',
        status: 'resolved',
      });
    });

    it('opens the exception again when the checker declines, with the note', async () => {
      const id = await reconciler.openException();
      await shown(id, () => true);
      const proposed = await propose(alice, id, { resolution: 'accept_bank', note: 'fee' });
      await shown(id, (body) => body.status === 'awaiting_approval');
      const decline = `${path(id)}/proposals/${proposed.body.actionId}/decline`;
      expect((await bob.post(decline, {})).status).toBe(400);
      expect((await bob.post(decline, { note: 'Not a fee: ask the bank' })).status).toBe(202);
      const open = await shown(id, (body) => body.status === 'open');
      expect(open.proposals[0]).toMatchObject({
        status: 'declined',
        decidedBy: `bob-${reconciler.run}`,
        decisionNote: 'Not a fee: ask the bank',
      });
      const late = await bob.post(`${path(id)}/proposals/${proposed.body.actionId}/approval`, {});
      expect(late.body).toMatchObject({ code: 'proposal_not_pending', status: 'declined' });
    });

    it('shows an action the reconciler refused, with its code, and stays open', async () => {
      const id = await reconciler.openException();
      await shown(id, () => true);
      // The fake reconciler refuses a proposal whose note asks it to (a race the read model lost).
      const proposed = await propose(alice, id, { resolution: 'dismiss', note: 'refuse: test' });
      expect(proposed.status).toBe(202);
      const refused = await shown(id, (body) => body.actions[0]?.status === 'refused');
      expect(refused.status).toBe('open');
      expect(refused.actions[0]).toMatchObject({
        id: proposed.body.actionId,
        refusal: { code: 'not_open', detail: 'refused: not_open' },
      });
      expect(refused.audit.map((entry: { type: string }) => entry.type)).toEqual([
        'ExceptionOpened',
        'ExceptionActionRefused',
      ]);
    });

    it('answers a repeated proposal with its Idempotency-Key once, as a replay', async () => {
      const id = await reconciler.openException();
      await shown(id, () => true);
      const key = randomUUID();
      const body = { resolution: 'dismiss', note: 'timing: booked the next day' };
      const first = await propose(alice, id, body, { 'idempotency-key': key });
      const second = await propose(alice, id, body, { 'idempotency-key': key });
      expect(second.status).toBe(202);
      expect(second.body.actionId).toBe(first.body.actionId);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      const other = await propose(
        alice,
        id,
        { ...body, note: 'other' },
        { 'idempotency-key': key },
      );
      expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });
      const resolved = await shown(id, (each) => each.status === 'resolved');
      expect(resolved.resolution).toMatchObject({ resolution: 'dismiss', approvedBy: null });
      expect(reconciler.seen.filter((c) => c.data.exceptionId === id)).toHaveLength(1);
    });
  });
});
