import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ServiceHandle, services } from '../../tools/service-processes';
import { REPO_ROOT, requireEnv } from './platform';

export const SETTLEMENT_IBAN = 'DE89370400440532013000';
/** Valid IBANs of made-up creditors (ibantools check digits). */
export const CREDITOR_IBAN = 'DE50100000000000000001';
export const CLOSED_ACCOUNT_IBAN = 'DE12999999990000000004';

export interface BankAnswer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** A sandbox bank running as a real process against the test Postgres, in a schema of its own. */
export class SandboxBank {
  readonly apiKey = `sbk_test_${randomBytes(18).toString('base64url')}`;
  readonly adminKey = `sbk_admin_${randomBytes(18).toString('base64url')}`;
  readonly webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  private handle: ServiceHandle | null = null;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(env: Record<string, string> = {}): Promise<void> {
    this.port = this.port || (await services.freePort());
    this.handle = services.startService({
      repoRoot: REPO_ROOT,
      app: 'sandbox-bank',
      logDir: process.env.RTP_TEST_LOG_DIR ?? join(tmpdir(), 'rtp-test-service-logs'),
      env: {
        SANDBOX_BANK_DATABASE_URL: requireEnv('DATABASE_URL'),
        SANDBOX_BANK_PORT: String(this.port),
        SANDBOX_BANK_API_KEY: this.apiKey,
        SANDBOX_BANK_ADMIN_KEY: this.adminKey,
        SANDBOX_BANK_WEBHOOK_SECRET: this.webhookSecret,
        PARTNER_SETTLEMENT_IBAN: SETTLEMENT_IBAN,
        SANDBOX_BANK_BOOKING_DELAY_MS: '100',
        SANDBOX_BANK_WEBHOOK_BACKOFF_MS_MIN: '50',
        SANDBOX_BANK_WEBHOOK_BACKOFF_MS_MAX: '200',
        // Every test bank starts without faults, whatever an earlier one stored.
        SANDBOX_BANK_FAULTS: '{}',
        LOG_LEVEL: 'warn',
        ...env,
      },
    });
    await services.waitForReady(`${this.url}/health/ready`, 90_000, this.handle);
  }

  async stop(): Promise<void> {
    await this.handle?.stop();
    this.handle = null;
  }

  async request(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; admin?: boolean } = {},
  ): Promise<BankAnswer> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.admin ? this.adminKey : this.apiKey}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // XML, CSV or empty: the text is the body.
    }
    return { status: response.status, headers: response.headers, body, text };
  }

  postTransfer(body: unknown, key = randomUUID()): Promise<BankAnswer> {
    return this.request('POST', '/v1/transfers', { body, headers: { 'idempotency-key': key } });
  }

  setFaults(faults: unknown): Promise<BankAnswer> {
    return this.request('PUT', '/admin/faults', { body: faults, admin: true });
  }

  /** Polls the transfer until `done` holds or the time runs out; returns the last answer. */
  async waitForTransfer(id: string, done: (body: any) => boolean, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    let last = await this.request('GET', `/v1/transfers/${id}`);
    while (!done(last.body) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      last = await this.request('GET', `/v1/transfers/${id}`);
    }
    return last;
  }
}

export function transferRequest(overrides: Record<string, unknown> = {}) {
  return {
    debtorIban: SETTLEMENT_IBAN,
    creditor: { iban: CREDITOR_IBAN, name: 'Ada Lovelace' },
    amountMinor: '1250',
    currency: 'EUR',
    endToEndId: `E2E-${randomUUID().slice(0, 18)}`,
    remittanceInformation: 'invoice 7',
    ...overrides,
  };
}

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
}

/** A webhook receiver on a free port: answers with `answer()` and keeps what it received. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answer: () => number = () => 204;
  private server: Server | null = null;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/webhooks/bank`;
  }

  async start(): Promise<void> {
    this.port = await services.freePort();
    this.server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({
          headers: request.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.statusCode = this.answer();
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  async waitFor(predicate: (hooks: ReceivedWebhook[]) => boolean, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.received;
  }
}
