import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { GatewayClient } from '../support/http-client';
import { Platform } from '../support/platform';
import { PaymentEventsPublisher, transfer, until } from '../support/webhooks';

jest.setTimeout(120_000);

const GATEWAY_ENV = {
  GATEWAY_WEBHOOK_ALLOW_LOOPBACK: 'true',
  GATEWAY_WEBHOOK_BACKOFF_MS_MIN: '200',
  GATEWAY_WEBHOOK_POLL_INTERVAL_MS: '50',
  // A claimed attempt is leased for twice the timeout and 5 s: the crash's attempt is resent then.
  GATEWAY_WEBHOOK_TIMEOUT_MS: '1000',
};

describe('webhooks across a gateway SIGKILL', () => {
  const platform = new Platform();
  const events = new PaymentEventsPublisher();
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let hangFirst = true;
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      // The first request is never answered: the gateway dies with it in flight.
      if (hangFirst) hangFirst = false;
      else response.writeHead(204).end();
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    await platform.start('gateway', GATEWAY_ENV);
    await events.start();
  });

  afterAll(async () => {
    await events.stop();
    await platform.stopAll();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('resends the attempt in flight under the same webhook-id, and delivers what came meanwhile', async () => {
    const admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    const created = await admin.post<{ id: string; apiKey: string }>('/v1/admin/clients', {
      name: 'crash',
    });
    const client = admin.withKey(created.body.apiKey);
    const { port } = receiver.address() as AddressInfo;
    const endpoint = await client.post<{ id: string }>('/v1/webhook-endpoints', {
      url: `http://127.0.0.1:${port}/hook`,
      eventTypes: ['PaymentProcessing'],
    });
    expect(endpoint.status).toBe(201);
    const inFlight = transfer('processing');
    await events.publish(created.body.id, inFlight, 1);
    await until(() => received.length === 1);
    await platform.handle('gateway').kill('SIGKILL');
    // Published while no gateway runs: the intake's stored position still has it ahead.
    const meanwhile = transfer('processing');
    await events.publish(created.body.id, meanwhile, 1);
    await platform.start('gateway', GATEWAY_ENV);
    await until(() => received.length >= 3, 60_000);
    const paymentIds = received.map((request) => JSON.parse(request.body).data.payment.id);
    expect(paymentIds[0]).toBe(inFlight.id);
    expect(new Set(paymentIds)).toEqual(new Set([inFlight.id, meanwhile.id]));
    const idsOf = (paymentId: string) =>
      received
        .filter((request) => JSON.parse(request.body).data.payment.id === paymentId)
        .map((request) => request.headers['webhook-id']);
    // At least once: the attempt the crash interrupted is sent again, with the same webhook-id.
    expect(idsOf(inFlight.id)).toHaveLength(2);
    expect(new Set(idsOf(inFlight.id)).size).toBe(1);
    expect(idsOf(meanwhile.id)).toHaveLength(1);
    await until(async () => {
      const page = await client.get<{ data: { status: string }[] }>(
        `/v1/webhook-endpoints/${endpoint.body.id}/deliveries`,
      );
      return page.body.data.length === 2 && page.body.data.every((d) => d.status === 'delivered');
    });
  });
});
