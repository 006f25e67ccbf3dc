import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { composeIBAN } from 'ibantools';
import { Client } from 'pg';
import { ServiceHandle, services } from '../../tools/service-processes';
import { GatewayClient } from './http-client';
import { Platform, REPO_ROOT, requireEnv } from './platform';
import { FlowPayout } from './payout-flow';
import { SandboxBank, WebhookReceiver } from './sandbox-bank';
import { newOperator } from './review-operators';

export type { FlowPayout };

export interface RunView {
  id: string;
  trigger: string;
  statementFound: boolean;
  linesTotal: number;
  counts: Record<string, number>;
  matchedByRule: Record<string, number>;
  matchRateBasisPoints: number;
  newExceptions: number;
  autoResolved: number;
  differencesBooked: number;
}

const logDir = () => process.env.RTP_TEST_LOG_DIR ?? join(tmpdir(), 'rtp-test-service-logs');
export const today = () => new Date().toISOString().slice(0, 10);

/**
 * The reconciler's issue end to end, every part a real process on the test Kafka and Postgres:
 * a ledger, a gateway, a sandbox bank, a partner adapter and the reconciler, wired as `npm start`
 * wires them, except that the bank's webhooks go to a receiver that drops them (so the adapter
 * learns outcomes only by asking) and that the partner is one of this flow's own, with a
 * settlement account of its own at the bank: its statement holds this flow's transfers only.
 */
export class ReconciliationFlow {
  readonly platform = new Platform();
  readonly bank = new SandboxBank();
  readonly partnerId = `r${randomBytes(4).toString('hex')}`;
  readonly settlementIban = composeIBAN({
    countryCode: 'DE',
    bban: `37040044${String(randomInt(1e9, 1e10))}`,
  })!;
  readonly db = new Client({ connectionString: requireEnv('DATABASE_URL') });
  /** Where the bank's webhooks go instead of the adapter: the adapter must ask. */
  private readonly lostWebhooks = new WebhookReceiver();
  admin!: GatewayClient;
  client!: GatewayClient;
  adapterPort = 0;
  reconcilerPort = 0;
  private adapter: ServiceHandle | null = null;
  private reconciler: ServiceHandle | null = null;

  async start(): Promise<void> {
    await this.db.connect();
    await this.lostWebhooks.start();
    this.adapterPort = await services.freePort();
    this.reconcilerPort = await services.freePort();
    await this.platform.start('ledger');
    await Promise.all([
      this.platform.start('gateway', { PARTNER_ID: this.partnerId }),
      this.bank.start({
        SANDBOX_BANK_WEBHOOK_URL: this.lostWebhooks.url,
        PARTNER_SETTLEMENT_IBAN: this.settlementIban,
      }),
    ]);
    const common = {
      DATABASE_URL: requireEnv('DATABASE_URL'),
      KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      LOG_LEVEL: 'warn',
    };
    this.adapter = services.startService({
      repoRoot: REPO_ROOT,
      app: 'partner-adapter',
      logDir: logDir(),
      env: {
        ...common,
        ADMIN_API_KEY: this.platform.adminApiKey,
        PARTNER_ADAPTER_PORT: String(this.adapterPort),
        PARTNER_ID: this.partnerId,
        PARTNER_BANK_URL: this.bank.url,
        PARTNER_BANK_API_KEY: this.bank.apiKey,
        PARTNER_WEBHOOK_SECRET: this.bank.webhookSecret,
        PARTNER_SETTLEMENT_IBAN: this.settlementIban,
        PARTNER_CHECK_BASE_MS: '200',
        PARTNER_CHECK_MAX_MS: '1000',
        PARTNER_STATEMENT_SCHEDULE: 'off',
      },
    });
    this.reconciler = services.startService({
      repoRoot: REPO_ROOT,
      app: 'reconciler',
      logDir: logDir(),
      env: {
        ...common,
        RECONCILER_PORT: String(this.reconcilerPort),
        RECONCILER_PARTNER_IDS: this.partnerId,
        RECONCILER_FEE_TOLERANCE_PARTNER_ID: this.partnerId,
        RECONCILER_FEE_TOLERANCE_MINOR: '100',
        RECONCILER_SCHEDULE: 'off',
        RECONCILER_RUN_POLL_MS: '100',
      },
    });
    await Promise.all([
      services.waitForReady(`${this.url('adapter')}/health/ready`, 90_000, this.adapter),
      services.waitForReady(`${this.url('reconciler')}/health/ready`, 90_000, this.reconciler),
    ]);
    this.admin = new GatewayClient(this.platform.gatewayUrl(), this.platform.adminApiKey);
    const created = await this.admin.post<{ apiKey: string }>('/v1/admin/clients', {
      name: 'Reconciled Ltd',
    });
    if (created.status !== 201) throw new Error(`client not created: ${created.status}`);
    this.client = this.admin.withKey(created.body.apiKey);
  }

  async stop(): Promise<void> {
    await this.bank.setFaults({}).catch(() => undefined);
    await Promise.all([this.adapter?.stop(), this.reconciler?.stop()]);
    await this.bank.stop();
    await this.platform.stopAll();
    await this.lostWebhooks.stop();
    await this.db.end();
  }

  url(service: 'adapter' | 'reconciler'): string {
    return `http://127.0.0.1:${service === 'adapter' ? this.adapterPort : this.reconcilerPort}`;
  }

  operator(name: string) {
    return newOperator(this.admin, `${name}-${this.partnerId}`);
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
      await sleep(200);
    }
  }

  async rows<T = Record<string, any>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.db.query(sql, parameters)).rows as T[];
  }

  /** An active EUR account of the client, funded by the admin's deposit. */
  async openAccount(fundedMinor: string): Promise<string> {
    const opened = await this.client.post<{ id: string }>('/v1/accounts', { currency: 'EUR' });
    const id = opened.body.id;
    await this.until('an active account', async () => {
      const read = await this.client.get<{ status: string }>(`/v1/accounts/${id}`);
      return read.body.status === 'active';
    });
    const deposit = await this.admin.post<{ status: string }>(
      '/v1/admin/deposits',
      { accountId: id, amount: fundedMinor, currency: 'EUR', reference: 'funding' },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    if (deposit.body.status !== 'completed') throw new Error('funding not completed');
    return id;
  }

  async payout(accountId: string, amount: string, iban: string): Promise<FlowPayout> {
    const answer = await this.client.post<FlowPayout>(
      '/v1/payouts',
      {
        sourceAccountId: accountId,
        amount,
        currency: 'EUR',
        beneficiary: { iban, name: 'Erika Mustermann' },
        reference: 'reconciliation flow',
      },
      { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
    );
    if (answer.status !== 201)
      throw new Error(`payout: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  readPayout(id: string): Promise<FlowPayout> {
    return this.client.get<FlowPayout>(`/v1/payouts/${id}`).then((answer) => answer.body);
  }

  waitForPayout(id: string, status: string, timeoutMs = 60_000): Promise<FlowPayout> {
    return this.until(
      `payout ${id} ${status}`,
      async () => {
        const read = await this.readPayout(id);
        return read.status === status ? read : null;
      },
      timeoutMs,
    );
  }

  /** The bank's own view of the transfer under the payout's end-to-end id (its database). */
  async bankStatus(endToEndId: string): Promise<string | null> {
    const [row] = await this.rows<{ status: string }>(
      'SELECT status FROM sandbox_bank.transfers WHERE end_to_end_id = $1',
      [endToEndId],
    );
    return row?.status ?? null;
  }

  /** An admin's on-demand run of the day (FetchStatement, then RunReconciliation). */
  async requestRun(date = today()): Promise<string> {
    const answer = await this.admin.post<{ requestId: string }>('/v1/admin/reconciliation/runs', {
      partnerId: this.partnerId,
      date,
    });
    if (answer.status !== 202)
      throw new Error(`run: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.requestId;
  }

  /** The statement the adapter fetched for this request (its id), once it published it. */
  async fetchedStatement(requestId: string): Promise<string> {
    const fetch = await this.until(`the statement fetch of ${requestId}`, async () => {
      const [row] = await this.rows(
        `SELECT outcome, statement_ids FROM partner_adapter.statement_fetches
         WHERE request_id = $1`,
        [requestId],
      );
      return row;
    });
    if (fetch.outcome !== 'published') throw new Error(`fetch: ${JSON.stringify(fetch)}`);
    return fetch.statement_ids[0];
  }

  /** The reconciler's run of a request, once done: its run id. */
  async runOf(requestId: string): Promise<string> {
    const row = await this.until(`the run of ${requestId}`, async () => {
      const [found] = await this.rows<{ run_id: string | null }>(
        `SELECT run_id FROM reconciler.run_requests WHERE request_id = $1 AND done_at IS NOT NULL`,
        [requestId],
      );
      return found;
    });
    return row.run_id!;
  }

  async runs(): Promise<RunView[]> {
    const answer = await this.admin.get<{ data: RunView[] }>(
      `/v1/admin/reconciliation/runs?partnerId=${this.partnerId}`,
    );
    return answer.body.data;
  }

  /** This partner's exceptions of a status (open by default; null: any), oldest first. */
  async exceptions(status: string | null = 'open'): Promise<Record<string, any>[]> {
    const filter = status === null ? '' : `&status=${status}`;
    const answer = await this.admin.get<{ data: Record<string, any>[] }>(
      `/v1/admin/reconciliation/exceptions?partnerId=${this.partnerId}${filter}`,
    );
    return answer.body.data;
  }

  /** The ledger's events of a type whose data names this partner or one of the payments. */
  ledgerEvents(type: string, field: string, values: string[]): Promise<Record<string, any>[]> {
    return this.rows(
      `SELECT event_id, type, command_id, data FROM ledger.events
       WHERE type = $1 AND data->>$2 = ANY($3::text[]) ORDER BY recorded_at, event_id`,
      [type, field, values],
    );
  }
}

/** Starts the flow before the suite's tests and stops it after them. */
export function useReconciliationFlow(): ReconciliationFlow {
  const flow = new ReconciliationFlow();
  beforeAll(() => flow.start(), 240_000);
  afterAll(() => flow.stop(), 120_000);
  return flow;
}
