import { randomUUID } from 'node:crypto';
import { GatewayClient } from '../support/http-client';
import { Platform } from '../support/platform';
import { newOperator } from '../support/review-operators';

jest.setTimeout(120_000);

describe('named operators (admins with keys of their own)', () => {
  const platform = new Platform();
  const run = randomUUID().slice(0, 8);
  let admin: GatewayClient;
  let alice: GatewayClient;

  beforeAll(async () => {
    await platform.start('gateway');
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    alice = (await newOperator(admin, `alice-${run}`)).client;
    await newOperator(admin, `bob-${run}`);
  });

  afterAll(() => platform.stopAll());

  it('are created by the bootstrap key only, once per name, and know who they are', async () => {
    const again = await admin.post('/v1/admin/operators', { name: `alice-${run}` });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'operator_exists' });
    const byOperator = await alice.post('/v1/admin/operators', { name: `eve-${run}` });
    expect(byOperator.status).toBe(403);
    expect(byOperator.body).toMatchObject({ code: 'bootstrap_admin_required' });
    const badName = await admin.post('/v1/admin/operators', { name: 'Not A Name' });
    expect(badName.status).toBe(400);
    expect((await alice.get('/v1/admin/operators/me')).body).toEqual({
      name: `alice-${run}`,
      bootstrapAdmin: false,
    });
    const listed = (await admin.get<{ data: { name: string }[] }>('/v1/admin/operators')).body;
    expect(listed.data.map((operator) => operator.name)).toEqual(
      expect.arrayContaining([`alice-${run}`, `bob-${run}`]),
    );
    expect(JSON.stringify(listed)).not.toContain('apiKey');
  });

  it('lose their key when the bootstrap admin revokes it, at once', async () => {
    const carol = await newOperator(admin, `carol-${run}`);
    expect((await carol.client.get('/v1/admin/operators/me')).status).toBe(200);
    const byOperator = await alice.post(`/v1/admin/operators/${carol.name}/revoke`, {});
    expect(byOperator.body).toMatchObject({ code: 'bootstrap_admin_required' });
    const revoked = await admin.post(`/v1/admin/operators/${carol.name}/revoke`, {});
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ name: carol.name, revokedAt: expect.any(String) });
    expect((await carol.client.get('/v1/admin/operators/me')).status).toBe(401);
    const unknown = await admin.post(`/v1/admin/operators/nobody-${run}/revoke`, {});
    expect(unknown.status).toBe(404);
    const again = await admin.post('/v1/admin/operators', { name: carol.name });
    expect(again.body).toMatchObject({ code: 'operator_exists' });
  });
});
