import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Client } from 'pg';
import { Consumer, Kafka, Producer } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { TOPICS, createEnvelope, encodeEnvelope } from '@rtp/contracts';
import { createIdempotentProducer, createKafka } from '@rtp/shared/kafka';
import { ServiceHandle, services } from '../../tools/service-processes';
import { REPO_ROOT, requireEnv } from './platform';

export interface SeenMessage {
  topic: string;
  key: string;
  id: string;
  type: string;
  data: Record<string, any>;
}

const logDir = () => process.env.RTP_TEST_LOG_DIR ?? join(tmpdir(), 'rtp-test-service-logs');

/**
 * A partner adapter running as a real process, with what a test needs around it: a producer of
 * ledger events (as the ledger would publish them), a reader of what the adapter publishes
 * (ledger commands, partner events), signed webhooks and its database.
 */
export class PartnerAdapterFixture {
  readonly adminKey = `rtp_test_admin_${randomBytes(24).toString('base64url')}`;
  readonly run = randomBytes(4).toString('hex');
  webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  readonly seen: SeenMessage[] = [];
  private handle: ServiceHandle | null = null;
  private kafka: Kafka = createKafka({
    brokers: requireEnv('KAFKA_BROKERS').split(','),
    clientId: 'partner-adapter-test',
    connectionTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
  });
  private producer: Producer | null = null;
  private consumer: Consumer | null = null;
  readonly db = new Client({ connectionString: requireEnv('DATABASE_URL') });
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get logFile(): string {
    return join(logDir(), 'partner-adapter.log');
  }

  async start(env: Record<string, string>): Promise<void> {
    await this.db.connect();
    this.producer = createIdempotentProducer(this.kafka);
    await this.producer.connect();
    this.port = this.port || (await services.freePort());
    this.handle = services.startService({
      repoRoot: REPO_ROOT,
      app: 'partner-adapter',
      logDir: logDir(),
      env: {
        DATABASE_URL: requireEnv('DATABASE_URL'),
        KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
        ADMIN_API_KEY: this.adminKey,
        PARTNER_ADAPTER_PORT: String(this.port),
        PARTNER_WEBHOOK_SECRET: this.webhookSecret,
        PARTNER_SETTLEMENT_IBAN: 'DE89370400440532013000',
        PARTNER_BANK_API_KEY: 'test-bank-key',
        LOG_LEVEL: 'info',
        ...env,
      },
    });
    await services.waitForReady(`${this.url}/health/ready`, 90_000, this.handle);
    await this.watch();
  }

  /** Reads ledger.commands.v1 and partner.events.v1 from their start, keeping this run's messages. */
  private async watch(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: `partner-adapter-test-${this.run}` });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [TOPICS.ledgerCommands, TOPICS.partnerEvents],
      fromBeginning: true,
    });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        const text = message.value?.toString('utf8') ?? '';
        // Other suites put undecodable bytes on these topics (dead-letter tests): not this run's.
        if (!text.includes(this.run)) return;
        const envelope = JSON.parse(text);
        this.seen.push({
          topic,
          key: message.key!.toString('utf8'),
          id: envelope.id,
          type: envelope.type,
          data: envelope.data,
        });
      },
    });
  }

  /** A ledger event on ledger.events.v1, keyed by its account. */
  async publishLedgerEvent(
    type: string,
    accountId: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    const id = `${type}:${String(data.paymentId ?? accountId)}:${this.run}`;
    const value = encodeEnvelope(
      createEnvelope({
        id,
        type,
        source: 'ledger',
        time: new Date(),
        partitionKey: accountId,
        correlationId: id,
        causationId: null,
        data,
      }),
    );
    await this.producer!.send({
      topic: TOPICS.ledgerEvents,
      messages: [{ key: accountId, value }],
    });
  }

  /** POST /webhooks/bank signed with `secret` (the adapter's by default). */
  async webhook(webhookId: string, payload: unknown, secret = this.webhookSecret) {
    const body = JSON.stringify(payload);
    const at = new Date();
    const signature = new Webhook(secret).sign(webhookId, at, body);
    const response = await fetch(`${this.url}/webhooks/bank`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': webhookId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as any,
    };
  }

  async review(path: 'payouts' | 'suspense'): Promise<any> {
    const response = await fetch(`${this.url}/v1/review/${path}`, {
      headers: { authorization: `Bearer ${this.adminKey}` },
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  async query(sql: string, parameters: unknown[] = []): Promise<any[]> {
    return (await this.db.query(sql, parameters)).rows;
  }

  /** Waits until `predicate` holds over what was seen, or fails after `timeoutMs`. */
  async waitFor<T>(
    what: string,
    probe: () => Promise<T | null> | T | null,
    timeoutMs = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== null && value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  messages(type: string, id?: string): SeenMessage[] {
    return this.seen.filter((m) => m.type === type && (id === undefined || m.id === id));
  }

  logText(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    await this.handle?.stop();
    await this.db.end();
  }
}

/** A PayoutReserved as the ledger publishes it (balance and sequence are not read by the adapter). */
export function payoutReserved(fields: {
  paymentId: string;
  accountId: string;
  amountMinor: string;
  iban: string;
  name: string;
  partnerId?: string;
}): Record<string, unknown> {
  return {
    paymentId: fields.paymentId,
    accountId: fields.accountId,
    amountMinor: fields.amountMinor,
    currency: 'EUR',
    partnerId: fields.partnerId ?? 'sandbox',
    initiatedBy: 'test-client',
    reference: null,
    beneficiary: { iban: fields.iban, name: fields.name },
    endToEndId: `e2e-${fields.paymentId}`.slice(0, 35),
    balance: { postedMinor: '10000', pendingMinor: fields.amountMinor, availableMinor: '0' },
    accountSequence: 2,
  };
}

export function accountOpened(
  accountId: string,
  virtualIban: string | null,
): Record<string, unknown> {
  return {
    accountId,
    currency: 'EUR',
    ownerId: 'test-client',
    name: null,
    metadata: null,
    status: 'active',
    currencyExponent: 2,
    overdraftLimitMinor: '0',
    perDebitLimitMinor: null,
    balance: { postedMinor: '0', pendingMinor: '0', availableMinor: '0' },
    accountSequence: 1,
    virtualIban,
  };
}
