import { Webhook } from 'standardwebhooks';
import { startWebhookReceiver, PaymentWebhook } from '../../tools/webhook-receiver-example';
import { GatewayClient } from '../support/http-client';
import { Platform } from '../support/platform';
import {
  PaymentEventsPublisher,
  RecordingReceiver,
  closedPort,
  transfer,
  until,
} from '../support/webhooks';

jest.setTimeout(120_000);

type Endpoint = { id: string; secret: string; status: string; disabledReason: string | null };
type Delivery = {
  id: string;
  status: string;
  eventType: string;
  attempts: { statusCode: number | null; error: string | null; at: string }[];
};

const RETRY_FOR_MS = 5_000;

describe('webhooks for API clients, from payments.events.v1', () => {
  const platform = new Platform();
  const events = new PaymentEventsPublisher();
  let admin: GatewayClient;

  async function newClient(name: string): Promise<{ id: string; client: GatewayClient }> {
    const created = await admin.post<{ id: string; apiKey: string }>('/v1/admin/clients', { name });
    return { id: created.body.id, client: admin.withKey(created.body.apiKey) };
  }

  const register = (
    client: GatewayClient,
    url: string,
    eventTypes = ['PaymentProcessing', 'PaymentCompleted'],
  ) =>
    client.post<Endpoint & Record<string, unknown>>('/v1/webhook-endpoints', { url, eventTypes });

  const deliveries = async (client: GatewayClient, endpointId: string) =>
    (await client.get<{ data: Delivery[] }>(`/v1/webhook-endpoints/${endpointId}/deliveries`)).body
      .data;

  beforeAll(async () => {
    await platform.start('gateway', {
      GATEWAY_WEBHOOK_ALLOW_LOOPBACK: 'true',
      GATEWAY_WEBHOOK_BACKOFF_MS_MIN: '400',
      GATEWAY_WEBHOOK_BACKOFF_MS_MAX: '3200',
      GATEWAY_WEBHOOK_RETRY_FOR_MS: String(RETRY_FOR_MS),
      GATEWAY_WEBHOOK_DISABLE_AFTER_MS: '7000',
      GATEWAY_WEBHOOK_POLL_INTERVAL_MS: '50',
      GATEWAY_WEBHOOK_TIMEOUT_MS: '2000',
      GATEWAY_WEBHOOK_CONCURRENCY_PER_ENDPOINT: '2',
    });
    admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    await events.start();
  });

  afterAll(async () => {
    await events.stop();
    await platform.stopAll();
  });

  describe('when a client registers the example receiver', () => {
    it('delivers its payment events in order, signed, and a rotated secret verifies with either key', async () => {
      const alice = await newClient('alice');
      const bob = await newClient('bob');
      const aliceEvents: PaymentWebhook[] = [];
      const bobEvents: PaymentWebhook[] = [];
      // The example receiver of each client, on a port chosen first, started with the secret.
      const exampleOf = async (client: GatewayClient, events: PaymentWebhook[]) => {
        const port = await closedPort();
        const endpoint = await register(client, `http://127.0.0.1:${port}/webhooks`);
        expect(endpoint.status).toBe(201);
        const receiver = await startWebhookReceiver({
          secret: endpoint.body.secret,
          port,
          onEvent: (event) => events.push(event),
        });
        return { endpoint: endpoint.body, server: receiver.server };
      };
      const aliceExample = await exampleOf(alice.client, aliceEvents);
      const bobExample = await exampleOf(bob.client, bobEvents);
      // Alice's second endpoint records the raw requests.
      const aliceServer = new RecordingReceiver();
      const created = await register(alice.client, await aliceServer.start());
      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      const aliceSecret = created.body.secret;

      const payment = transfer('processing');
      await events.publish(alice.id, payment, 1);
      await events.publish(alice.id, { ...payment, status: 'completed' }, 2);
      const bobPayment = transfer('processing');
      await events.publish(bob.id, bobPayment, 1);
      await until(() => aliceEvents.length === 2 && bobEvents.length === 1);
      expect(aliceEvents.map((event) => [event.type, event.data.payment.id])).toEqual([
        ['PaymentProcessing', payment.id],
        ['PaymentCompleted', payment.id],
      ]);
      expect(aliceEvents.map((event) => event.data.statusSequence)).toEqual([1, 2]);
      // Client A never receives an event about client B's payment, nor B about A's.
      expect(bobEvents.map((event) => event.data.payment.id)).toEqual([bobPayment.id]);
      await until(() => aliceServer.received.length === 2);
      expect(
        aliceServer.received.map((request) => JSON.parse(request.body).data.payment.id),
      ).toEqual([payment.id, payment.id]);
      // The first endpoint's requests verify with its own secret, by the library.
      for (const request of aliceServer.received) {
        expect(() =>
          new Webhook(aliceSecret).verify(request.body, request.headers as Record<string, string>),
        ).not.toThrow();
      }

      const rotated = await alice.client.post<{ secret: string; previousSecretExpiresAt: string }>(
        `/v1/webhook-endpoints/${created.body.id}/secret-rotations`,
        { overlapSeconds: 3_600 },
      );
      expect(rotated.status).toBe(201);
      expect(rotated.body.secret).not.toBe(aliceSecret);
      const next = transfer('processing');
      await events.publish(alice.id, next, 1);
      await until(() => aliceServer.received.length === 3);
      const during = aliceServer.received[2];
      expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
      for (const secret of [aliceSecret, rotated.body.secret]) {
        expect(() =>
          new Webhook(secret).verify(during.body, during.headers as Record<string, string>),
        ).not.toThrow();
      }
      // Bob cannot see Alice's endpoint or its deliveries.
      const foreign = await bob.client.get(`/v1/webhook-endpoints/${created.body.id}/deliveries`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('webhook_endpoint_not_found');
      expect(
        (await bob.client.get<{ data: Endpoint[] }>('/v1/webhook-endpoints')).body.data,
      ).toEqual([expect.objectContaining({ id: bobExample.endpoint.id })]);
      await aliceServer.stop();
      for (const { server } of [aliceExample, bobExample]) {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe('when an endpoint answers 500 three times, then 200', () => {
    it('receives the event four times with the same webhook-id and increasing delays', async () => {
      const carol = await newClient('carol');
      const flaky = new RecordingReceiver((count) => (count <= 3 ? 500 : 200));
      const url = await flaky.start();
      const endpoint = (await register(carol.client, url, ['PaymentCompleted'])).body;
      const payment = transfer('completed');
      await events.publish(carol.id, payment, 2);
      await until(() => flaky.received.length === 4);
      const ids = new Set(flaky.received.map((request) => request.headers['webhook-id']));
      expect(ids.size).toBe(1);
      const gaps = flaky.received
        .slice(1)
        .map((request, index) => request.at - flaky.received[index].at);
      expect(gaps[1]).toBeGreaterThan(gaps[0]);
      expect(gaps[2]).toBeGreaterThan(gaps[1]);
      await until(
        async () => (await deliveries(carol.client, endpoint.id))[0]?.status === 'delivered',
      );
      const [delivery] = await deliveries(carol.client, endpoint.id);
      expect(delivery.id).toBe([...ids][0]);
      expect(delivery.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 500, 500, 200]);
      // A manual retry sends it once more, under the same webhook-id.
      const retried = await carol.client.post(
        `/v1/webhook-endpoints/${endpoint.id}/deliveries/${delivery.id}/retry`,
        {},
      );
      expect(retried.status).toBe(202);
      await until(() => flaky.received.length === 5);
      expect(flaky.received[4].headers['webhook-id']).toBe(delivery.id);
      await flaky.stop();
    });
  });

  describe("when a payment's first event is not delivered yet", () => {
    it("holds back the payment's next event until the first is delivered, not other payments'", async () => {
      const frank = await newClient('frank');
      const first = transfer('processing');
      // The first payment's first event is refused twice; everything else is taken.
      let refusals = 0;
      const receiver = new RecordingReceiver((_count, body) => {
        const { type, data } = JSON.parse(body);
        const refuse = data.payment.id === first.id && type === 'PaymentProcessing' && refusals < 2;
        if (refuse) refusals += 1;
        return refuse ? 503 : 204;
      });
      const endpoint = (await register(frank.client, await receiver.start())).body;
      const other = transfer('processing');
      await events.publish(frank.id, first, 1);
      await events.publish(frank.id, { ...first, status: 'completed' }, 2);
      await events.publish(frank.id, other, 1);
      await until(() => receiver.received.length === 5);
      const seen = receiver.received.map((request) => {
        const { type, data } = JSON.parse(request.body);
        return `${data.payment.id === first.id ? 'first' : 'other'} ${type}`;
      });
      // The first payment's events in status order: Completed only once Processing was taken.
      expect(seen.filter((line) => line.startsWith('first'))).toEqual([
        'first PaymentProcessing',
        'first PaymentProcessing',
        'first PaymentProcessing',
        'first PaymentCompleted',
      ]);
      // The other payment is not held back by the first one's retries.
      expect(seen.indexOf('other PaymentProcessing')).toBeLessThan(
        seen.lastIndexOf('first PaymentProcessing'),
      );
      expect(await deliveries(frank.client, endpoint.id)).toHaveLength(3);
      await receiver.stop();
    });

    it('sends no more than the concurrency per endpoint at once', async () => {
      const grace = await newClient('grace');
      const slow = new RecordingReceiver(() => 204, 300);
      const endpoint = (await register(grace.client, await slow.start())).body;
      for (let index = 0; index < 8; index += 1) {
        await events.publish(grace.id, transfer('processing'), 1);
      }
      await until(() => slow.received.length === 8);
      expect(slow.inFlightMax).toBe(2);
      await until(async () =>
        (await deliveries(grace.client, endpoint.id)).every(
          (delivery) => delivery.status === 'delivered',
        ),
      );
      await slow.stop();
    });
  });

  describe('when an endpoint is down for longer than the retry budget', () => {
    it('ends failed, listed with its attempts, and the endpoint is disabled with a reason', async () => {
      const dave = await newClient('dave');
      const url = `http://127.0.0.1:${await closedPort()}/hook`;
      const endpoint = (await register(dave.client, url)).body;
      await events.publish(dave.id, transfer('processing'), 1);
      await until(
        async () => (await deliveries(dave.client, endpoint.id))[0]?.status === 'failed',
        RETRY_FOR_MS + 15_000,
      );
      const [failed] = await deliveries(dave.client, endpoint.id);
      expect(failed.attempts.length).toBeGreaterThanOrEqual(4);
      expect(failed.attempts.every((attempt) => attempt.statusCode === null && attempt.error)).toBe(
        true,
      );
      const first = Date.parse(failed.attempts[0].at);
      expect(Date.parse(failed.attempts.at(-1)!.at) - first).toBeGreaterThanOrEqual(RETRY_FOR_MS);
      // Still failing: the endpoint is disabled once it failed for the disable period.
      await events.publish(dave.id, transfer('processing'), 1);
      await until(async () => {
        const listed = (await dave.client.get<{ data: Endpoint[] }>('/v1/webhook-endpoints')).body;
        return listed.data[0]?.status === 'disabled';
      }, 20_000);
      const [disabled] = (await dave.client.get<{ data: Endpoint[] }>('/v1/webhook-endpoints')).body
        .data;
      expect(disabled.disabledReason).toMatch(/every delivery failed since/);
    });
  });

  describe('when a URL points inside the network', () => {
    it.each([
      ['https://10.0.0.7/hook', 'private'],
      ['https://169.254.169.254/latest/meta-data/', 'metadata'],
      ['https://[fd00:ec2::254]/', 'metadata'],
      ['https://100.64.1.1/hook', 'carrier-grade NAT'],
      ['http://example.com/hook', 'only https'],
      ['https://user:password@example.com/hook', 'credentials'],
    ])('refuses %s at registration', async (url, reason) => {
      const erin = await newClient('erin');
      const refused = await register(erin.client, url);
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.code).toBe('webhook_url_forbidden');
      expect(String(refused.body.reason)).toContain(reason);
    });

    it('refuses bad bodies with a problem, never a 5xx', async () => {
      const erin = await newClient('erin');
      for (const body of [
        {},
        { url: 'https://example.com', eventTypes: [] },
        { url: 'https://example.com', eventTypes: ['Nope'] },
        { url: 'https://example.com', eventTypes: ['PaymentCompleted'], extra: 1 },
      ]) {
        const answer = await erin.client.post('/v1/webhook-endpoints', body);
        expect([answer.status, answer.body.code]).toEqual([400, 'validation_failed']);
      }
      const missing = await erin.client.request('DELETE', '/v1/webhook-endpoints/we_nothing');
      expect([missing.status, missing.body.code]).toEqual([404, 'webhook_endpoint_not_found']);
    });
  });
});
