import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IncomingMessage, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { parse } from 'yaml';
import { TOPICS } from '@rtp/contracts';
import { PayoutFlow } from '../support/payout-flow';
import { AsyncApiMessages } from '../support/asyncapi-messages';
import { REPO_ROOT, requireEnv } from '../support/platform';
import { CREDITOR_IBAN } from '../support/sandbox-bank';
import { RecordedMessage, TopicRecorder } from '../support/topic-recorder';

// W3C trace context end to end, every part a real process: a client's traceparent on the payout
// POST reaches the ledger's command and events, the partner adapter's call to the bank, its
// SettlePayout and partner events, and the debug log lines of the gateway, ledger and adapter.
jest.setTimeout(240_000);

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;
const traceIdOf = (traceparent: unknown): string | null =>
  typeof traceparent === 'string' ? (TRACEPARENT.exec(traceparent)?.[1] ?? null) : null;

interface BankRequest {
  method: string;
  url: string;
  traceparent: string | null;
}

/** Forwards every request to the sandbox bank and records what the adapter sent it. */
class RecordingBankProxy {
  readonly requests: BankRequest[] = [];
  private server: Server | null = null;
  target = '';

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.forward(request)
        .then(({ status, body, type }) => {
          response.writeHead(status, type ? { 'content-type': type } : {});
          response.end(body);
        })
        .catch(() => {
          response.writeHead(502);
          response.end();
        });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async forward(request: IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const header = request.headers.traceparent;
    this.requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      traceparent: typeof header === 'string' ? header : null,
    });
    const headers: Record<string, string> = {};
    for (const name of [
      'authorization',
      'accept',
      'content-type',
      'idempotency-key',
      'traceparent',
    ]) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await fetch(`${this.target}${request.url}`, {
      method: request.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    return {
      status: answer.status,
      type: answer.headers.get('content-type'),
      body: Buffer.from(await answer.arrayBuffer()),
    };
  }
}

/** The JSON log lines of a service's log file that carry `traceId`. */
function logLinesOf(app: string, traceId: string): Record<string, unknown>[] {
  const logDir = process.env.RTP_TEST_LOG_DIR ?? join(tmpdir(), 'rtp-test-service-logs');
  return readFileSync(join(logDir, `${app}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.includes(traceId) && line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the trace context of a payout, from the client through the bank and back', () => {
  const flow = new PayoutFlow();
  const proxy = new RecordingBankProxy();
  const recorder = new TopicRecorder([
    TOPICS.ledgerCommands,
    TOPICS.ledgerEvents,
    TOPICS.partnerEvents,
  ]);
  const traceId = randomBytes(16).toString('hex');
  const clientTraceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  let paymentId = '';

  beforeAll(async () => {
    await proxy.start();
    await recorder.start();
    await flow.start({}, { logLevel: 'debug', bankUrl: () => proxy.url });
    proxy.target = flow.bank.url;
  });
  afterAll(async () => {
    await flow.stop();
    await recorder.stop();
    await proxy.stop();
  });

  const ofPayment = (type: string): RecordedMessage[] =>
    recorder.messages.filter(
      (message) => message.envelope.type === type && message.envelope.data.paymentId === paymentId,
    );

  it('completes a payout sent with a traceparent', async () => {
    const account = await flow.openAccount('10000');
    const created = await flow.client.post<{ id: string }>(
      '/v1/payouts',
      {
        sourceAccountId: account.id,
        amount: '2500',
        currency: 'EUR',
        beneficiary: { iban: CREDITOR_IBAN, name: 'Erika Mustermann' },
        reference: 'traced',
      },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10', traceparent: clientTraceparent },
    );
    expect(created.status).toBe(201);
    paymentId = created.body.id;
    await flow.waitForPayout(paymentId, 'completed');
    await flow.until('the PayoutSettled event', async () => ofPayment('PayoutSettled').length > 0);
  });

  it.each([
    ['ReservePayout', TOPICS.ledgerCommands],
    ['PayoutReserved', TOPICS.ledgerEvents],
    ['PayoutSubmitted', TOPICS.partnerEvents],
    ['SettlePayout', TOPICS.ledgerCommands],
    ['PayoutSettled', TOPICS.ledgerEvents],
  ])('carries the trace id on %s (%s), in the header and the envelope', (type, topic) => {
    const messages = ofPayment(type);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message.topic).toBe(topic);
      expect(traceIdOf(message.headers.traceparent)).toBe(traceId);
      expect(traceIdOf(message.envelope.traceparent)).toBe(traceId);
    }
  });

  it("sends the bank the payout's trace with its transfer", () => {
    const creates = proxy.requests.filter(
      (request) => request.method === 'POST' && request.url === '/v1/transfers',
    );
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.map((request) => traceIdOf(request.traceparent))).toContain(traceId);
    // A span of the adapter's own under the client's trace, not the client's span passed on.
    const sent = creates.find((request) => traceIdOf(request.traceparent) === traceId)!;
    expect(sent.traceparent).not.toBe(clientTraceparent);
  });

  it('writes the trace id on the log lines of the gateway, the ledger and the adapter', () => {
    const messagesOf = (app: string) => logLinesOf(app, traceId).map((line) => line.msg);
    expect(messagesOf('gateway')).toContain('payment accepted');
    expect(messagesOf('ledger')).toContain('ledger command committed');
    expect(messagesOf('partner-adapter')).toContain('payout sent to the bank');
    for (const app of ['gateway', 'ledger', 'partner-adapter']) {
      for (const line of logLinesOf(app, traceId)) expect(line.traceId).toBe(traceId);
    }
    const ledgerCommands = logLinesOf('ledger', traceId).map(
      (line) => (line.detail as { commandType?: string } | undefined)?.commandType,
    );
    expect(ledgerCommands).toEqual(expect.arrayContaining(['ReservePayout', 'SettlePayout']));
  });

  it('stores the trace with what a sweep after a crash would publish', async () => {
    const database = new Client({ connectionString: requireEnv('DATABASE_URL') });
    await database.connect();
    try {
      const stored = async (sql: string) =>
        (await database.query(sql, [paymentId])).rows.map((row) => traceIdOf(row.traceparent));
      expect(
        await stored(
          `SELECT payload->>'traceparent' AS traceparent FROM gateway.outbox
           WHERE payload->'data'->>'paymentId' = $1`,
        ),
      ).toEqual([traceId]);
      expect(
        await stored(
          `SELECT traceparent FROM ledger.events WHERE type = 'PayoutReserved'
           AND data->>'paymentId' = $1`,
        ),
      ).toEqual([traceId]);
      expect(
        await stored('SELECT traceparent FROM partner_adapter.payouts WHERE payment_id = $1'),
      ).toEqual([traceId]);
      const adapterRows = await stored(
        `SELECT payload->>'traceparent' AS traceparent FROM partner_adapter.outbox
         WHERE payload->'data'->>'paymentId' = $1`,
      );
      expect(adapterRows.length).toBeGreaterThanOrEqual(2);
      expect(new Set(adapterRows)).toEqual(new Set([traceId]));
    } finally {
      await database.end();
    }
  });

  it("publishes ledger commands, ledger events and partner events that fit the document's schemas", () => {
    const document = new AsyncApiMessages(
      parse(readFileSync(join(REPO_ROOT, 'docs', 'asyncapi.yaml'), 'utf8')),
    );
    const topics = new Set(recorder.messages.map((message) => message.topic));
    expect([...topics].sort()).toEqual(
      [TOPICS.ledgerCommands, TOPICS.ledgerEvents, TOPICS.partnerEvents].sort(),
    );
    const problems = recorder.messages
      .map((message) => [
        message.topic,
        message.envelope.type,
        document.problems(message.topic, message.envelope),
      ])
      .filter(([, , problem]) => problem !== null);
    expect(problems).toEqual([]);
  });

  it('starts a new trace for a request without one', async () => {
    const account = await flow.openAccount('1000');
    const created = await flow.payout(account.id, '100', CREDITOR_IBAN);
    expect(created.status).toBe(201);
    const id = created.body.id;
    await flow.until('its ReservePayout', async () =>
      recorder.messages.find(
        (message) =>
          message.envelope.type === 'ReservePayout' && message.envelope.data.paymentId === id,
      ),
    );
    const command = recorder.messages.find(
      (message) =>
        message.envelope.type === 'ReservePayout' && message.envelope.data.paymentId === id,
    )!;
    const started = traceIdOf(command.headers.traceparent);
    expect(started).toMatch(/^[0-9a-f]{32}$/);
    expect(started).not.toBe(traceId);
  });
});
