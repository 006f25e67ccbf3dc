import { DataSource } from 'typeorm';
import { Admin, Kafka } from 'kafkajs';
import { ALL_TOPICS, CONSUMER_GROUPS, TOPICS } from '@rtp/contracts';
import { CreditRoutingRules, DecisionSettings } from '@rtp/partner-adapter/application';
import { createAppDataSource, migrateSchema } from '@rtp/shared/database';
import {
  PartitionRunner,
  ResettableProducer,
  createIdempotentProducer,
  createKafka,
  describeFailure,
  ensureTopics,
} from '@rtp/shared/kafka';
import { BankClient, BreakerSettings } from './bank/bank-client';
import { LedgerEventsWorker } from './ledger-events.worker';
import { PayoutChecker } from './loops/payout-checker';
import { PayoutSender } from './loops/payout-sender';
import { PollLoop } from './loops/poll-loop';
import { PARTNER_ADAPTER_MIGRATIONS_DIRECTORY } from './migrations-directory';
import { AdapterOutbox, adapterOutbox } from './store/adapter-outbox';
import { PayoutStore } from './store/payout-store';
import { WebhookReceiver } from './webhooks/webhook-receiver';
import {
  BankStatementSource,
  BankStatementSourceOptions,
} from './statements/bank-statement-source';
import {
  ADAPTER_TOPICS,
  FetchStatementWorker,
  TopicWorkers,
} from './statements/fetch-statement.worker';
import { StatementIngestion } from './statements/statement-ingestion';
import { StatementSchedule } from './statements/statement-schedule';

export interface PartnerAdapterRuntimeOptions {
  databaseUrl: string;
  kafkaBrokers: string[];
  topicPartitions: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  stallAfterMs: number;
  partnerId: string;
  bankUrl: string;
  bankApiKey: string;
  webhookSecret: string;
  settlementIban: string;
  pendingDeadlineMs: number;
  creditRouting: CreditRoutingRules;
  breakers: { create: BreakerSettings; status: BreakerSettings };
  decisions: DecisionSettings;
  senderConcurrency: number;
  pollIdleMs: number;
  statements: Omit<BankStatementSourceOptions, 'baseUrl' | 'apiKey'> & {
    /** The daily fetch's cron expression (UTC), or `off`; it fetches `daysBack` days before. */
    cron: string;
    daysBack: number;
  };
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, detail?: unknown) => void;
}

const OUTBOX_SWEEP_INTERVAL_MS = 1_000;
const OUTBOX_SWEEP_AGE_MS_MIN = 2_000;

/** Owns the adapter's pool, producer, ledger events consumer, sender and checker loops. */
export class PartnerAdapterRuntime {
  readonly dataSource: DataSource;
  readonly store: PayoutStore;
  readonly webhooks: WebhookReceiver;
  readonly bank: BankClient;
  private readonly kafka: Kafka;
  private readonly producer: ResettableProducer;
  private readonly outbox: AdapterOutbox;
  private readonly loops: PollLoop[];
  private runner: PartitionRunner | null = null;
  private admin: Admin | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  readonly statements: StatementIngestion;
  private readonly schedule: StatementSchedule;

  constructor(private readonly options: PartnerAdapterRuntimeOptions) {
    this.dataSource = adapterDataSource(options.databaseUrl);
    this.kafka = createKafka({
      brokers: options.kafkaBrokers,
      clientId: 'partner-adapter',
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    });
    this.producer = new ResettableProducer(() => createIdempotentProducer(this.kafka));
    const warn = (message: string) => (error: unknown) =>
      options.log('warn', message, describeFailure(error));
    this.outbox = adapterOutbox(
      this.dataSource,
      this.producer,
      warn('outbox publication failed; retried'),
    );
    this.store = new PayoutStore(
      this.dataSource,
      this.outbox,
      warn('publishing after commit failed; swept'),
      options.partnerId,
    );
    this.bank = new BankClient({
      baseUrl: options.bankUrl,
      apiKey: options.bankApiKey,
      partnerId: options.partnerId,
      breakers: options.breakers,
      log: (level, message) => options.log(level, message),
    });
    this.webhooks = new WebhookReceiver(
      this.store,
      options.webhookSecret,
      options.partnerId,
      options.decisions,
      options.creditRouting,
    );
    const loopSettings = { settings: options.decisions, log: options.log };
    const sender = new PayoutSender(this.store, this.bank, {
      concurrency: options.senderConcurrency,
      settlementIban: options.settlementIban,
      ...loopSettings,
    });
    const checker = new PayoutChecker(this.store, this.bank, {
      batchSize: options.senderConcurrency,
      leaseMs: options.breakers.status.timeoutMs * 4,
      ...loopSettings,
    });
    const { cron, daysBack, ...source } = options.statements;
    this.statements = new StatementIngestion(
      this.dataSource,
      this.store,
      new BankStatementSource({ ...source, baseUrl: options.bankUrl, apiKey: options.bankApiKey }),
      options.partnerId,
    );
    this.schedule = new StatementSchedule(this.statements, { cron, daysBack, log: options.log });
    const loopLog = (level: 'warn', message: string, detail?: unknown) =>
      options.log(level, message, describeFailure(detail));
    this.loops = [
      new PollLoop('payout sender', () => sender.round(), options.pollIdleMs, loopLog),
      new PollLoop('payout checker', () => checker.round(), options.pollIdleMs, loopLog),
    ];
  }

  async start(): Promise<void> {
    await migrateSchema({
      url: this.options.databaseUrl,
      schema: 'partner_adapter',
      migrationsDirectory: PARTNER_ADAPTER_MIGRATIONS_DIRECTORY,
    });
    await this.dataSource.initialize();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await ensureTopics(this.admin, ALL_TOPICS, this.options.topicPartitions);
    await this.producer.get();
    this.sweepTimer = setInterval(() => {
      this.outbox
        .sweep({ ageMsMin: OUTBOX_SWEEP_AGE_MS_MIN })
        .catch((error) =>
          this.options.log('warn', 'outbox sweep failed; retried', describeFailure(error)),
        );
    }, OUTBOX_SWEEP_INTERVAL_MS);
    this.runner = new PartitionRunner({
      kafka: this.kafka,
      groupId: CONSUMER_GROUPS.partnerAdapter,
      topics: [...ADAPTER_TOPICS],
      worker: new TopicWorkers({
        [TOPICS.ledgerEvents]: new LedgerEventsWorker(this.dataSource, this.store, {
          partnerId: this.options.partnerId,
          pendingDeadlineMs: this.options.pendingDeadlineMs,
          log: (level, message) => this.options.log(level, message),
        }),
        [TOPICS.reconciliationCommands]: new FetchStatementWorker(
          this.dataSource,
          this.store,
          this.statements,
          { partnerId: this.options.partnerId, log: this.options.log },
        ),
      }),
      batchSizeMax: 500,
      partitionsConsumedConcurrently: 4,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs,
      fetchWaitMsMax: 50,
      stallAfterMs: this.options.stallAfterMs,
      log: (level, message) => this.options.log(level, message),
    });
    await this.runner.start();
    for (const loop of this.loops) loop.start();
    this.schedule.start();
  }

  assertConsuming(): void {
    if (!this.runner) throw new Error('ledger events consumer not started');
    this.runner.assertHealthy();
  }

  async checkKafka(): Promise<void> {
    if (!this.admin) throw new Error('not connected');
    await this.admin.describeCluster();
  }

  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.schedule.stop();
    await Promise.all(this.loops.map((loop) => loop.stop()));
    await this.runner?.stop();
    this.bank.shutdown();
    await this.outbox.stop().catch(() => undefined);
    await this.producer.disconnect();
    await this.admin?.disconnect();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

function adapterDataSource(url: string): DataSource {
  return createAppDataSource({
    url,
    schema: 'partner_adapter',
    appRole: 'partner_adapter_app',
    applicationName: 'partner-adapter',
    poolSizeMax: 20,
    statementTimeoutMs: 10_000,
    idleInTransactionTimeoutMs: 5_000,
    lockTimeoutMs: 5_000,
  });
}
