import { Principal } from '@rtp/gateway/domain';
import { NewWebhookEndpoint } from '../ports/webhooks.port';
import { RegisterWebhookEndpointHandler } from './register-webhook-endpoint.handler';

const alice: Principal = { clientId: 'client-a', scopes: ['payments'] };

function handlerWith(addresses: Record<string, string[]>, existing = 0) {
  const created: NewWebhookEndpoint[] = [];
  const handler = new RegisterWebhookEndpointHandler(
    {
      countEndpoints: async () => existing + created.length,
      createEndpoint: async (endpoint) => void created.push(endpoint),
    },
    { resolve: async (host) => addresses[host] ?? [] },
    { allowLoopback: false, endpointsPerClientMax: 2 },
    { newId: () => '0b8e-11', now: () => new Date('2026-01-01T00:00:00Z') },
  );
  return { handler, created };
}

describe('registering a webhook endpoint', () => {
  it('stores it for the caller with a whsec_ secret, shown in the answer', async () => {
    const { handler, created } = handlerWith({ 'hooks.example.com': ['93.184.216.34'] });
    const result = await handler.execute(alice, {
      url: 'https://hooks.example.com/rtp',
      eventTypes: ['PaymentCompleted', 'PaymentCompleted', 'PayoutReturned'],
    });
    expect(result.ok && result.value).toMatchObject({
      id: 'we_0b8e11',
      status: 'enabled',
      eventTypes: ['PaymentCompleted', 'PayoutReturned'],
    });
    expect(created).toEqual([
      expect.objectContaining({ clientId: 'client-a', secret: expect.stringMatching(/^whsec_/) }),
    ]);
    expect(result.ok && result.value.secret).toBe(created[0].secret);
  });

  it.each([
    [{ 'hooks.example.com': ['10.2.3.4'] }, 'private'],
    [{ 'hooks.example.com': ['93.184.216.34', '169.254.169.254'] }, 'metadata'],
    [{ 'hooks.example.com': ['::1'] }, 'loopback'],
    [{}, 'resolves to no address'],
  ])('refuses a host resolving to %j (%s), storing nothing', async (addresses, reason) => {
    const { handler, created } = handlerWith(addresses);
    const result = await handler.execute(alice, {
      url: 'https://hooks.example.com/rtp',
      eventTypes: ['PaymentCompleted'],
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.refusal).toEqual({
      code: 'webhook_url_forbidden',
      reason: expect.stringContaining(reason),
    });
    expect(created).toEqual([]);
  });

  it('refuses more endpoints than the limit per client', async () => {
    const { handler } = handlerWith({ 'hooks.example.com': ['93.184.216.34'] }, 2);
    const result = await handler.execute(alice, {
      url: 'https://hooks.example.com/rtp',
      eventTypes: ['PaymentCompleted'],
    });
    expect(!result.ok && result.refusal).toEqual({
      code: 'webhook_endpoints_limit',
      endpointsMax: 2,
    });
  });
});
