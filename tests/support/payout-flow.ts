import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { ServiceHandle, services } from '../../tools/service-processes';
import { GatewayClient } from './http-client';
import { Platform, REPO_ROOT, requireEnv } from './platform';
import { SETTLEMENT_IBAN, SandboxBank } from './sandbox-bank';

export interface FlowAccount {
  id: string;
  status: string;
  virtualIban: string | null;
  balance: { posted: string; pending: string; available: string };
}

export interface FlowPayout {
  id: string;
  status: string;
  failureCode: string | null;
  bankReference: string | null;
  endToEndId: string | null;
  escalated: boolean;
  statusHistory: { status: string; failureCode: string | null; at: string }[];
}

/**
 * The whole payout chain as real processes on the test Kafka and Postgres: a ledger, a gateway, a
 * partner adapter and a sandbox bank wired to each other as `npm start` wires them (the bank's
 * API key, webhook secret and settlement IBAN on both sides, the bank's webhooks to the adapter's
 * `/webhooks/bank`, partner `sandbox` in the gateway and the adapter).
 */
export class PayoutFlow {
  readonly platform = new Platform();
  readonly bank = new SandboxBank();
  admin!: GatewayClient;
  client!: GatewayClient;
  adapterPort = 0;
  /** Every payout this flow created, in order. */
  readonly payoutIds: string[] = [];
  private adapter: ServiceHandle | null = null;

  get adapterUrl(): string {
    return `http://127.0.0.1:${this.adapterPort}`;
  }

  async start(
    bankEnv: Record<string, string> = {},
    /** LOG_LEVEL of the ledger, gateway and adapter; the adapter's bank URL (a proxy, say). */
    options: { logLevel?: string; bankUrl?: (url: string) => string } = {},
  ): Promise<void> {
    this.adapterPort = await services.freePort();
    // Info-level logs (not the tests' usual warn), so that the data-protection check reads what
    // an operator's log holds: every request line, every consumer and outbox message.
    const logLevel = options.logLevel ?? 'info';
    await this.platform.start('ledger', { LOG_LEVEL: logLevel });
    await Promise.all([
      this.platform.start('gateway', { PARTNER_ID: 'sandbox', LOG_LEVEL: logLevel }),
      this.bank.start({
        SANDBOX_BANK_WEBHOOK_URL: `${this.adapterUrl}/webhooks/bank`,
        ...bankEnv,
      }),
    ]);
    this.adapter = services.startService({
      repoRoot: REPO_ROOT,
      app: 'partner-adapter',
      logDir: process.env.RTP_TEST_LOG_DIR ?? join(tmpdir(), 'rtp-test-service-logs'),
      env: {
        DATABASE_URL: requireEnv('DATABASE_URL'),
        KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
        ADMIN_API_KEY: this.platform.adminApiKey,
        PARTNER_ADAPTER_PORT: String(this.adapterPort),
        PARTNER_ID: 'sandbox',
        PARTNER_BANK_URL: options.bankUrl?.(this.bank.url) ?? this.bank.url,
        PARTNER_BANK_API_KEY: this.bank.apiKey,
        PARTNER_WEBHOOK_SECRET: this.bank.webhookSecret,
        PARTNER_SETTLEMENT_IBAN: SETTLEMENT_IBAN,
        PARTNER_CHECK_BASE_MS: '200',
        PARTNER_CHECK_MAX_MS: '1000',
        PARTNER_RETURN_CHECK_INTERVAL_MS: '500',
        LOG_LEVEL: logLevel,
      },
    });
    await services.waitForReady(`${this.adapterUrl}/health/ready`, 90_000, this.adapter);
    this.admin = new GatewayClient(this.platform.gatewayUrl(), this.platform.adminApiKey);
    const created = await this.admin.post<{ apiKey: string }>('/v1/admin/clients', {
      name: 'Flow Ltd',
    });
    if (created.status !== 201) throw new Error(`client not created: ${created.status}`);
    this.client = this.admin.withKey(created.body.apiKey);
  }

  async stop(): Promise<void> {
    await this.adapter?.stop();
    await this.bank.stop();
    await this.platform.stopAll();
  }

  /** Polls `probe` until it returns something truthy; throws after `timeoutMs`. */
  async until<T>(
    what: string,
    probe: () => Promise<T | null | undefined | false>,
    timeoutMs = 60_000,
  ) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(150);
    }
  }

  account(id: string): Promise<FlowAccount> {
    return this.client.get<FlowAccount>(`/v1/accounts/${id}`).then((answer) => answer.body);
  }

  /** An active EUR account of the client, funded with `fundedMinor` by the admin's deposit. */
  async openAccount(fundedMinor?: string): Promise<FlowAccount> {
    const opened = await this.client.post<FlowAccount>('/v1/accounts', { currency: 'EUR' });
    const id = opened.body.id;
    await this.until('an active account', async () => (await this.account(id)).status === 'active');
    if (fundedMinor !== undefined) {
      const deposit = await this.admin.post(
        '/v1/admin/deposits',
        { accountId: id, amount: fundedMinor, currency: 'EUR', reference: 'funding' },
        { 'idempotency-key': randomUUID() },
      );
      if ((deposit.body as { status?: string }).status !== 'completed')
        throw new Error(`funding not completed: ${JSON.stringify(deposit.body)}`);
    }
    return this.account(id);
  }

  async payout(sourceAccountId: string, amount: string, iban: string, key: string = randomUUID()) {
    const answer = await this.client.post<FlowPayout>(
      '/v1/payouts',
      {
        sourceAccountId,
        amount,
        currency: 'EUR',
        beneficiary: { iban, name: 'Erika Mustermann' },
        reference: 'flow test',
      },
      { 'idempotency-key': key, prefer: 'wait=10' },
    );
    if (answer.body?.id && !this.payoutIds.includes(answer.body.id))
      this.payoutIds.push(answer.body.id);
    return answer;
  }

  /** The payout once its status is `status` (fails on another final status). */
  waitForPayout(id: string, status: string, timeoutMs = 60_000): Promise<FlowPayout> {
    return this.until(
      `payout ${id} ${status}`,
      async () => {
        const read = (await this.client.get<FlowPayout>(`/v1/payouts/${id}`)).body;
        return read.status === status ? read : null;
      },
      timeoutMs,
    );
  }

  /** The bank's transfers under our end-to-end reference. */
  async bankTransfers(endToEndId: string): Promise<{ id: string; status: string }[]> {
    const answer = await this.bank.request('GET', `/v1/transfers?endToEndId=${endToEndId}`);
    return answer.body.data;
  }

  /** The adapter's review lists (its admin key is the platform's). */
  async review(list: 'payouts' | 'suspense'): Promise<{ data: any[] }> {
    const response = await fetch(`${this.adapterUrl}/v1/review/${list}`, {
      headers: { authorization: `Bearer ${this.platform.adminApiKey}` },
    });
    return (await response.json()) as { data: any[] };
  }

  /**
   * Waits until the adapter has learnt the IBAN from the ledger's AccountOpened (a credit before
   * that goes to suspense, a known race), read from its table as no API shows it.
   */
  async adapterKnows(iban: string): Promise<void> {
    const db = new Client({ connectionString: requireEnv('DATABASE_URL') });
    await db.connect();
    try {
      await this.until(`the adapter's map of ${iban}`, async () => {
        const sql = 'SELECT 1 FROM partner_adapter.virtual_ibans WHERE iban = $1';
        return (await db.query(sql, [iban])).rowCount === 1;
      });
    } finally {
      await db.end();
    }
  }

  /** The sum of a counter's samples on the adapter's /metrics whose labels include `labels`. */
  async adapterCounter(name: string, labels: string): Promise<number> {
    const text = await (await fetch(`${this.adapterUrl}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && line.includes(labels))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  }

  /** The ledger's own view of an account's balance (its operator endpoint). */
  async ledgerBalance(accountId: string): Promise<any> {
    const url = `http://127.0.0.1:${this.platform.port('ledger')}/internal/accounts/${encodeURIComponent(accountId)}/balance`;
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${this.platform.ledgerInternalApiKey}` },
    });
    return {
      status: response.status,
      body: response.status === 200 ? await response.json() : null,
    };
  }
}

/** Starts the flow before the suite's tests and stops it after them. */
export function usePayoutFlow(bankEnv: Record<string, string> = {}): PayoutFlow {
  const flow = new PayoutFlow();
  beforeAll(() => flow.start(bankEnv));
  afterAll(() => flow.stop());
  return flow;
}
