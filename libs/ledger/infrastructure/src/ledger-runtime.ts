import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Admin, Kafka } from 'kafkajs';
import { ALL_TOPICS, TOPICS } from '@rtp/contracts';
import { createAppDataSource, migrateSchema } from '@rtp/shared/database';
import {
  PartitionRunner,
  ResettableProducer,
  createIdempotentProducer,
  createKafka,
  ensureTopics,
  exportOutboxBacklog,
  groupCommitterFor,
} from '@rtp/shared/kafka';
import { LedgerInvariants, ProcessCommandBatchHandler } from '@rtp/ledger/application';
import { PostgresLedgerStore } from './postgres-ledger.store';
import { LedgerCommandWorker } from './ledger-command.worker';
import { ledgerMetrics } from './ledger-metrics';
import {
  ledgerOutboxBacklog,
  observeLedgerInvariants,
  readInvariantsStart,
} from './ledger-observed';

export interface LedgerRuntimeOptions {
  databaseUrl: string;
  databasePoolSizeMax: number;
  kafkaBrokers: string[];
  topicPartitions: number;
  consumerGroup: string;
  batchSizeMax: number;
  partitionsConsumedConcurrently: number;
  /** Consumers of the group in this process, each fetching its own share of the partitions. */
  consumersPerProcess: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  fetchWaitMsMax: number;
  fetchBytesMin: number;
  accountsCachedMax: number;
  stallAfterMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string, detail?: unknown) => void;
  /** LOG_LEVEL debug or trace: a line per committed command, with its trace id (issue 12). */
  logDebug?: ((message: string, detail: Record<string, unknown>) => void) | null;
}

export const LEDGER_MIGRATIONS_DIRECTORY = join(__dirname, 'migrations');
/** Monthly partitions are kept this many months ahead, checked at start and then daily. */
const PARTITION_MONTHS_AHEAD = 3;
const PARTITION_CHECK_INTERVAL_MS = 24 * 3_600_000;

/** Owns the ledger's connections: migrations, topics, the consumer group and the producer. */
export class LedgerRuntime {
  readonly dataSource: DataSource;
  readonly kafka: Kafka;
  private producer: ResettableProducer | null = null;
  private admin: Admin | null = null;
  private partitionTimer: NodeJS.Timeout | null = null;
  private cachedGaugeTimer: NodeJS.Timeout | null = null;
  private runners: PartitionRunner[] = [];
  private worker: LedgerCommandWorker | null = null;

  constructor(private readonly options: LedgerRuntimeOptions) {
    this.dataSource = createAppDataSource({
      url: options.databaseUrl,
      schema: 'ledger',
      appRole: 'ledger_app',
      applicationName: 'ledger',
      poolSizeMax: options.databasePoolSizeMax,
      statementTimeoutMs: 30_000,
      idleInTransactionTimeoutMs: 5_000,
      lockTimeoutMs: 10_000,
    });
    this.kafka = createKafka({
      brokers: options.kafkaBrokers,
      clientId: 'ledger',
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    });
  }

  async start(): Promise<void> {
    const applied = await migrateSchema({
      url: this.options.databaseUrl,
      schema: 'ledger',
      migrationsDirectory: LEDGER_MIGRATIONS_DIRECTORY,
    });
    if (applied.length > 0) this.options.log('info', `applied migrations: ${applied.join(', ')}`);
    await this.dataSource.initialize();
    await this.ensurePartitions();
    this.partitionTimer = setInterval(() => {
      this.ensurePartitions().catch((error) =>
        this.options.log('error', 'creating partitions failed', error),
      );
    }, PARTITION_CHECK_INTERVAL_MS);
    this.partitionTimer.unref();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await ensureTopics(this.admin, ALL_TOPICS, this.options.topicPartitions);
    this.producer = new ResettableProducer(() => createIdempotentProducer(this.kafka));
    await this.producer.get();
    const store = await this.createStore();
    const handler = this.createHandler(store);
    const worker = new LedgerCommandWorker(
      handler,
      store,
      this.producer,
      this.options.consumerGroup,
      (error) =>
        this.options.log('warn', 'publishing or recording the outbox failed; retrying', error),
      this.options.logDebug ?? null,
    );
    this.worker = worker;
    // kafkajs fetches again only when every batch of its last fetch is done, so one consumer
    // alternates between fetching and committing. Several consumers overlap them: while one waits
    // for its commit, another fetches and decides, and one group commit carries what they all hold.
    const consumers = this.options.consumersPerProcess;
    const groupCommitter = groupCommitterFor(
      worker,
      this.options.consumerGroup,
      this.options.partitionsConsumedConcurrently * consumers,
    );
    this.runners = Array.from(
      { length: consumers },
      () =>
        new PartitionRunner({
          kafka: this.kafka,
          groupId: this.options.consumerGroup,
          topics: [TOPICS.ledgerCommands],
          worker,
          batchSizeMax: this.options.batchSizeMax,
          partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
          heartbeatIntervalMs: this.options.heartbeatIntervalMs,
          fetchWaitMsMax: this.options.fetchWaitMsMax,
          fetchBytesMin: this.options.fetchBytesMin,
          stallAfterMs: this.options.stallAfterMs,
          groupCommitter: groupCommitter ?? undefined,
          log: (level, message) => this.options.log(level, message),
        }),
    );
    await Promise.all(this.runners.map((runner) => runner.start()));
  }

  /**
   * The store, its committed batches followed by the continuous invariants, read from the database
   * before any batch of this process commits. A failure to follow one is logged, never thrown
   * into the batch that already committed.
   */
  private async createStore(): Promise<PostgresLedgerStore> {
    const invariants = new LedgerInvariants(await readInvariantsStart(this.dataSource));
    observeLedgerInvariants(invariants);
    exportOutboxBacklog('ledger', ledgerOutboxBacklog(this.dataSource));
    return new PostgresLedgerStore(this.dataSource, (writes) => {
      try {
        for (const write of writes) invariants.committed(write);
      } catch (error) {
        this.options.log('error', 'the continuous invariants could not follow a batch', error);
      }
    });
  }

  /** The batch handler, its evictions counted and its cached accounts gauged every 5 s. */
  private createHandler(store: PostgresLedgerStore): ProcessCommandBatchHandler {
    const handler = new ProcessCommandBatchHandler(
      store,
      this.options.consumerGroup,
      () => new Date(),
      this.options.accountsCachedMax,
      (count) => ledgerMetrics.accountsEvicted.inc(count),
    );
    ledgerMetrics.accountsCached.reset();
    this.cachedGaugeTimer = setInterval(
      () => ledgerMetrics.accountsCached.set(handler.accountsCached),
      5_000,
    );
    this.cachedGaugeTimer.unref();
    return handler;
  }

  private async ensurePartitions(): Promise<void> {
    const [{ created }] = await this.dataSource.query(
      'SELECT ledger.ensure_partitions($1) AS created',
      [PARTITION_MONTHS_AHEAD],
    );
    if (created > 0) this.options.log('info', `created ${created} monthly partitions`);
  }

  async checkKafka(): Promise<void> {
    if (!this.admin) throw new Error('not connected');
    await this.admin.describeCluster();
  }

  /** Fails while the consumer is down, or any partition stalls, naming which and why. */
  assertConsuming(): void {
    if (this.runners.length === 0) throw new Error('command consumer not started');
    for (const runner of this.runners) runner.assertHealthy();
  }

  async stop(): Promise<void> {
    if (this.partitionTimer) clearInterval(this.partitionTimer);
    if (this.cachedGaugeTimer) clearInterval(this.cachedGaugeTimer);
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await this.worker
      ?.stop()
      .catch((error: unknown) =>
        this.options.log('warn', 'recording the published outbox position failed', error),
      );
    await this.admin?.disconnect();
    await this.producer?.disconnect();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
