import { DataSource } from 'typeorm';
import { Admin, Kafka } from 'kafkajs';
import { ALL_TOPICS, CONSUMER_GROUPS, TOPICS } from '@rtp/contracts';
import { createAppDataSource, migrateSchema } from '@rtp/shared/database';
import {
  PartitionRunner,
  groupCommitterFor,
  ResettableProducer,
  createIdempotentProducer,
  createKafka,
  describeFailure,
  ensureTopics,
  retryDelayMs,
} from '@rtp/shared/kafka';
import { AccountFactsCache } from './account-facts/account-facts.cache';
import { ApiKeyCache } from './api-keys/api-key.cache';
import { GroupAcceptorOptions, GroupPaymentAcceptor } from './accept/group-acceptor';
import { CommittedPublisher } from './committed-publisher';
import { OutboxRelay } from './outbox-relay';
import { OutcomeListener } from './outcome-listener';
import { PostgresGatewayStore } from './postgres-gateway.store';
import { GatewayReadModels } from './read-models.query';
import { GatewayProjectionWorker } from './projection/gateway-projection.worker';
import { GATEWAY_MIGRATIONS_DIRECTORY } from './migrations-directory';
import { reconciliationProjectionRunner } from './reconciliation/reconciliation-projection.runner';
import { ReviewCommandStore } from './reconciliation/review-command.store';
import { ReviewReadModels } from './reconciliation/review-read-models.query';
import { PostgresWebhookEndpoints } from './webhooks/webhook-endpoints.store';
import { WebhookSender } from './webhooks/webhook-sender';
import { WebhookSettings, webhooksRunners } from './webhooks/webhooks.runner';

export interface GatewayRuntimeOptions {
  databaseUrl: string;
  readDatabaseUrl: string | undefined;
  databasePoolSizeMax: number;
  kafkaBrokers: string[];
  topicPartitions: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  fetchWaitMsMax: number;
  stallAfterMs: number;
  /** Consumers of the projection's group in this process (they share one group commit). */
  projectionConsumers: number;
  /** How payments are grouped into accepting transactions. */
  accept: GroupAcceptorOptions;
  /** Accounts whose facts are kept in memory for accepting payments. */
  accountFactsEntriesMax: number;
  /** API keys (and, apart, as many unknown key hashes) kept in memory for authenticating. */
  apiKeyEntriesMax: number;
  /** Webhooks for API clients: the intake of payments.events.v1 and the sender. */
  webhooks: WebhookSettings;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, detail?: unknown) => void;
}

const OUTBOX_SWEEP_INTERVAL_MS = 1_000;
const IDEMPOTENCY_CLEANUP_INTERVAL_MS = 10 * 60_000;

/** Owns the gateway's connections: primary and read pools, producer, projection consumer, listener. */
export class GatewayRuntime {
  readonly primary: DataSource;
  readonly reader: DataSource;
  readonly store: PostgresGatewayStore;
  readonly readModels: GatewayReadModels;
  readonly listener: OutcomeListener;
  readonly kafka: Kafka;
  private readonly producer: ResettableProducer;
  readonly relay: OutboxRelay;
  readonly accountFacts: AccountFactsCache;
  readonly apiKeys: ApiKeyCache;
  readonly acceptor: GroupPaymentAcceptor;
  /** Operators and the reconciliation review queue: commands on the primary, reads on the reader. */
  readonly reviewStore: ReviewCommandStore;
  readonly reviewReadModels: ReviewReadModels;
  readonly webhookEndpoints: PostgresWebhookEndpoints;
  private webhookSender: WebhookSender | null = null;
  private admin: Admin | null = null;
  private runners: PartitionRunner[] = [];
  private cleanupTimer: NodeJS.Timeout | null = null;
  private readonly projectionTimers = new Set<NodeJS.Timeout>();
  private stopping = false;

  constructor(private readonly options: GatewayRuntimeOptions) {
    const pool = (url: string, name: string) =>
      createAppDataSource({
        url,
        schema: 'gateway',
        appRole: 'gateway_app',
        applicationName: name,
        poolSizeMax: options.databasePoolSizeMax,
        statementTimeoutMs: 10_000,
        idleInTransactionTimeoutMs: 5_000,
        lockTimeoutMs: 5_000,
      });
    this.primary = pool(options.databaseUrl, 'gateway');
    this.reader = options.readDatabaseUrl
      ? pool(options.readDatabaseUrl, 'gateway-reader')
      : this.primary;
    this.store = new PostgresGatewayStore(
      this.primary,
      (accountId) => this.accountFacts.notified(accountId),
      (keyHash) => this.apiKeys.notified(keyHash),
    );
    this.accountFacts = new AccountFactsCache(
      (accountId) => this.store.findAccount(accountId),
      options.accountFactsEntriesMax,
    );
    this.apiKeys = new ApiKeyCache(
      (keyHash) => this.store.findPrincipalByKeyHash(keyHash),
      options.apiKeyEntriesMax,
    );
    this.readModels = new GatewayReadModels(this.reader);
    this.reviewStore = new ReviewCommandStore(this.primary, (keyHash) =>
      this.apiKeys.notified(keyHash),
    );
    this.reviewReadModels = new ReviewReadModels(this.reader);
    this.webhookEndpoints = new PostgresWebhookEndpoints(this.primary);
    this.listener = new OutcomeListener(
      options.databaseUrl,
      (message) => options.log('warn', message),
      [this.accountFacts, this.apiKeys],
    );
    this.kafka = createKafka({
      brokers: options.kafkaBrokers,
      clientId: 'gateway',
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    });
    this.producer = new ResettableProducer(() => createIdempotentProducer(this.kafka));
    const committed = new CommittedPublisher(this.primary, this.producer, (error) =>
      options.log('warn', 'publishing or marking the outbox failed; it is retried', error),
    );
    this.relay = new OutboxRelay(committed, (error) =>
      options.log('warn', 'outbox relay failed; will retry', error),
    );
    this.acceptor = new GroupPaymentAcceptor(this.primary, committed, options.accept, (detail) =>
      options.log('debug', 'payment accepted', detail),
    );
  }

  /** The projection of the ledger's and partner's events into the read models. */
  private projectionWorker(): GatewayProjectionWorker {
    return new GatewayProjectionWorker(
      this.primary,
      (letters) => this.producer.publish(letters),
      (message) => this.options.log('error', message),
      CONSUMER_GROUPS.gatewayProjections,
      // payments.events.v1 goes out right after the commit, not at the relay's next sweep.
      () => void this.relay.flush(),
    );
  }

  async start(): Promise<void> {
    await migrateSchema({
      url: this.options.databaseUrl,
      schema: 'gateway',
      migrationsDirectory: GATEWAY_MIGRATIONS_DIRECTORY,
    });
    await this.primary.initialize();
    if (this.reader !== this.primary) await this.reader.initialize();
    await this.listener.start();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await ensureTopics(this.admin, ALL_TOPICS, this.options.topicPartitions);
    await this.producer.get();
    this.relay.start(OUTBOX_SWEEP_INTERVAL_MS);
    this.cleanupTimer = setInterval(() => {
      this.store
        .deleteExpiredIdempotencyKeys()
        .catch((error) =>
          this.options.log('warn', 'idempotency key cleanup failed; will retry', error),
        );
    }, IDEMPOTENCY_CLEANUP_INTERVAL_MS);
    this.cleanupTimer.unref();
    const worker = this.projectionWorker();
    // As in the ledger: one consumer fetches while another's transaction commits, and one group
    // commit carries what they all hold.
    const partitionsConsumedConcurrently = 4;
    const groupCommitter = groupCommitterFor(
      worker,
      CONSUMER_GROUPS.gatewayProjections,
      partitionsConsumedConcurrently * this.options.projectionConsumers,
    );
    this.runners = Array.from(
      { length: this.options.projectionConsumers },
      () =>
        new PartitionRunner({
          kafka: this.kafka,
          groupId: CONSUMER_GROUPS.gatewayProjections,
          topics: [TOPICS.ledgerEvents, TOPICS.partnerEvents],
          worker,
          batchSizeMax: 500,
          partitionsConsumedConcurrently,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
          heartbeatIntervalMs: this.options.heartbeatIntervalMs,
          fetchWaitMsMax: this.options.fetchWaitMsMax,
          stallAfterMs: this.options.stallAfterMs,
          groupCommitter: groupCommitter ?? undefined,
          log: (level, message) => this.options.log(level, message),
        }),
    );
    this.runners.push(
      reconciliationProjectionRunner({
        ...this.options,
        kafka: this.kafka,
        primary: this.primary,
        deadLetters: (letters) => this.producer.publish(letters),
      }),
    );
    const webhooks = webhooksRunners({
      ...this.options,
      settings: this.options.webhooks,
      kafka: this.kafka,
      primary: this.primary,
      deadLetters: (letters) => this.producer.publish(letters),
    });
    this.runners.push(webhooks.intake);
    this.webhookSender = webhooks.sender;
    this.webhookSender.start();
    for (const runner of this.runners) this.startProjection(runner, 1);
  }

  /**
   * The projection joins its consumer group in the background: accepting payments needs only
   * PostgreSQL, and after a restart the join waits out the old member's session timeout (about 10 s),
   * during which the API would otherwise refuse connections. Retried with backoff until it starts.
   */
  private startProjection(runner: PartitionRunner, attempt: number): void {
    runner.start().catch((error: unknown) => {
      if (this.stopping) return;
      runner.health.consumerStopped(describeFailure(error));
      const delayMs = retryDelayMs(attempt);
      this.options.log(
        'warn',
        `projection consumer did not start (${describeFailure(error)}); ` +
          `retrying in ${delayMs} ms`,
      );
      const timer = setTimeout(() => {
        this.projectionTimers.delete(timer);
        this.startProjection(runner, attempt + 1);
      }, delayMs);
      this.projectionTimers.add(timer);
    });
  }

  /** Fails while the projection consumer is down, or any partition stalls, naming which and why. */
  assertConsuming(): void {
    if (this.runners.length === 0) throw new Error('projection consumer not started');
    for (const runner of this.runners) runner.assertHealthy();
  }

  async checkKafka(): Promise<void> {
    if (!this.admin) throw new Error('not connected');
    await this.admin.describeCluster();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.projectionTimers) clearTimeout(timer);
    this.projectionTimers.clear();
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    await this.relay.stop();
    await this.webhookSender?.stop();
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await this.producer.disconnect();
    await this.admin?.disconnect();
    await this.listener.stop();
    if (this.reader !== this.primary && this.reader.isInitialized) await this.reader.destroy();
    if (this.primary.isInitialized) await this.primary.destroy();
  }
}
