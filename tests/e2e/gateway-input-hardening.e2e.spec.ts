import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { GatewayClient } from '../support/http-client';
import { Platform } from '../support/platform';
import { RawConnection, sendRaw } from '../support/raw-http';
import { ACCOUNT, INPUT_CASES, RAW_CASES } from './gateway-input.cases';

jest.setTimeout(180_000);

interface Answer {
  status: number;
  contentType: string | null | undefined;
  body: string;
}

type Document = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

/** The statuses the served OpenAPI document lists for the operation a request goes to. */
function documentedStatuses(document: Document, method: string, url: string): string[] {
  const path = url.split('?')[0];
  const template = Object.keys(document.paths).find((candidate) =>
    new RegExp(`^${candidate.replace(/\{\w+\}/g, '[^/]+')}$`).test(path),
  );
  const operation = template ? document.paths[template][method.toLowerCase()] : undefined;
  return Object.keys(operation?.responses ?? {});
}

function expectProblem(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, mediaType: answer.contentType?.split(';')[0] }).toEqual({
    status,
    mediaType: 'application/problem+json',
  });
  expect(JSON.parse(answer.body)).toMatchObject({ status, code });
}

describe('the gateway refuses bad input with problem+json and a stable code', () => {
  const platform = new Platform();
  let client: GatewayClient;
  let apiKey: string;
  let accountId: string;
  let document: Document;

  beforeAll(async () => {
    await platform.start('ledger');
    await platform.start('gateway');
    const admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    apiKey = (await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: 'Input checks' }))
      .body.apiKey;
    client = admin.withKey(apiKey);
    accountId = (await client.post<{ id: string }>('/v1/accounts', { currency: 'EUR' })).body.id;
    document = (await client.get<Document>('/openapi.json')).body;
  });

  afterAll(() => platform.stopAll());

  it.each(INPUT_CASES.map((item) => [item.name, item] as const))(
    'refuses %s',
    async (_name, item) => {
      const key = item.path.startsWith('/v1/admin') ? platform.adminApiKey : apiKey;
      const body =
        typeof item.body === 'string' ? item.body.replaceAll(ACCOUNT, accountId) : item.body;
      const path = item.path.replace(ACCOUNT, accountId);
      const method = item.body === undefined ? 'GET' : 'POST';
      const response = await fetch(`${platform.gatewayUrl()}${path}`, {
        method,
        body,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
          ...item.headers,
        },
      });
      expectProblem(
        {
          status: response.status,
          contentType: response.headers.get('content-type'),
          body: await response.text(),
        },
        item.status,
        item.code,
      );
      expect(documentedStatuses(document, method, path)).toContain(String(item.status));
    },
  );

  it.each(RAW_CASES.map((item) => [item.name, item] as const))(
    'refuses %s over raw HTTP',
    async (_name, item) => {
      const response = await sendRaw(
        platform.port('gateway'),
        `${item.head}\r\nHost: gateway\r\n` +
          `Authorization: Bearer ${apiKey}\r\nConnection: close\r\n\r\n`,
      );
      expectProblem(
        { ...response, contentType: response.headers['content-type'] },
        item.status,
        item.code,
      );
    },
  );

  it('still takes a JSON integer amount and a plain limit', async () => {
    expect((await client.get('/v1/payments?limit=5')).status).toBe(200);
    const paid = await client.post(
      '/v1/payments',
      { sourceAccountId: accountId, destinationAccountId: accountId, amount: 250, currency: 'EUR' },
      { 'idempotency-key': randomUUID() },
    );
    expect(paid.body.code).not.toBe('invalid_amount');
  });

  describe('while it shuts down', () => {
    it('answers a request that arrives 503 shutting_down with Retry-After', async () => {
      const handle = await platform.start('gateway-shutdown');
      const connection = new RawConnection(platform.port('gateway-shutdown'));
      const body = '{"name":"Late client"}';
      // A request still being received keeps the server open while it shuts down.
      connection.write(
        `POST /v1/admin/clients HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ` +
          `${platform.adminApiKey}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
      );
      await delay(300);
      handle.child.kill('SIGTERM');
      await delay(1_500);
      connection.write(body.slice(5));
      connection.write('GET /health/live HTTP/1.1\r\nHost: gateway\r\n\r\n');
      const responses = await connection.responses();
      const late = responses[responses.length - 1];
      expect(responses).toHaveLength(2);
      expectProblem({ ...late, contentType: late.headers['content-type'] }, 503, 'shutting_down');
      expect(late.headers['retry-after']).toBe('1');
      // Nest ends the process by raising the signal again once its shutdown is done.
      expect(await handle.exited).toEqual({ code: null, signal: 'SIGTERM' });
    });
  });
});
