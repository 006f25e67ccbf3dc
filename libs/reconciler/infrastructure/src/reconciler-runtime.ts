import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { Admin, Kafka } from 'kafkajs';
import { Cron } from 'croner';
import { ALL_TOPICS, CONSUMER_GROUPS, TOPICS } from '@rtp/contracts';
import { RuleId, RuleParameters, ruleDefinitions } from '@rtp/reconciler/domain';
import { createAppDataSource, migrateSchema } from '@rtp/shared/database';
import {
  PartitionRunner,
  ResettableProducer,
  createIdempotentProducer,
  createKafka,
  describeFailure,
  ensureTopics,
} from '@rtp/shared/kafka';
import { ReconcilerWorker } from './consumer/reconciler.worker';
import { requestRuns } from './consumer/statement-rows';
import { RECONCILER_MIGRATIONS_DIRECTORY } from './migrations-directory';
import { databaseGauges } from './reconciler-metrics';
import { RunExecutor, RunReport } from './runs/run-executor';
import { activateRules } from './runs/rules-store';
import { scheduleRuns } from './runs/run-schedule';
import { Offsets, recordTopicEnds, recordsBehind, runsWaiting } from './runs/records-caught-up';
import { ReconcilerOutbox, reconcilerOutbox } from './store/reconciler-outbox';
import { ReconcilerStore } from './store/reconciler-store';

export interface ReconcilerRuntimeOptions {
  databaseUrl: string;
  kafkaBrokers: string[];
  topicPartitions: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  stallAfterMs: number;
  partnerIds: string[];
  rules: RuleParameters;
  /** A cron expression (UTC) for the daily run of yesterday, or null for none. */
  schedule: string | null;
  runPollMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string, detail?: unknown) => void;
  onRun?: (report: RunReport) => void;
}

const OUTBOX_SWEEP_INTERVAL_MS = 1_000;
const OUTBOX_SWEEP_AGE_MS_MIN = 2_000;

/** Owns the reconciler's pool, producer, consumer, run loop, schedule and outbox sweep. */
export class ReconcilerRuntime {
  readonly dataSource: DataSource;
  readonly store: ReconcilerStore;
  private readonly kafka: Kafka;
  private readonly producer: ResettableProducer;
  private readonly outbox: ReconcilerOutbox;
  private readonly executor: RunExecutor;
  private versions: ReadonlyMap<RuleId, number> = new Map();
  private runner: PartitionRunner | null = null;
  private admin: Admin | null = null;
  private catchUpTarget: Offsets | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private cron: Cron | null = null;
  private runLoop: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: ReconcilerRuntimeOptions) {
    this.dataSource = createAppDataSource({
      url: options.databaseUrl,
      schema: 'reconciler',
      appRole: 'reconciler_app',
      applicationName: 'reconciler',
      poolSizeMax: 10,
      statementTimeoutMs: 30_000,
      idleInTransactionTimeoutMs: 30_000,
      lockTimeoutMs: 10_000,
    });
    this.kafka = createKafka({
      brokers: options.kafkaBrokers,
      clientId: 'reconciler',
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    });
    this.producer = new ResettableProducer(() => createIdempotentProducer(this.kafka));
    const warn = (message: string) => (error: unknown) =>
      options.log('warn', message, describeFailure(error));
    this.outbox = reconcilerOutbox(
      this.dataSource,
      this.producer,
      warn('outbox publication failed'),
    );
    this.store = new ReconcilerStore(
      this.dataSource,
      this.outbox,
      warn('publishing failed; swept'),
    );
    this.executor = new RunExecutor(this.store, () => this.versions, options.rules);
    databaseGauges((sql) => this.dataSource.query(sql));
  }

  async start(): Promise<void> {
    await migrateSchema({
      url: this.options.databaseUrl,
      schema: 'reconciler',
      migrationsDirectory: RECONCILER_MIGRATIONS_DIRECTORY,
    });
    await this.dataSource.initialize();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await ensureTopics(this.admin, ALL_TOPICS, this.options.topicPartitions);
    await this.producer.get();
    this.versions = await this.store.commit(async (manager, write) => {
      const definitions = ruleDefinitions(this.options.rules);
      const at = new Date();
      const { versions, messages } = await activateRules(
        manager,
        definitions,
        this.options.partnerIds,
        at,
      );
      await write(messages);
      return versions;
    });
    this.sweepTimer = setInterval(() => {
      this.outbox
        .sweep({ ageMsMin: OUTBOX_SWEEP_AGE_MS_MIN })
        .catch((error) => this.options.log('warn', 'outbox sweep failed', describeFailure(error)));
    }, OUTBOX_SWEEP_INTERVAL_MS);
    this.runner = new PartitionRunner({
      kafka: this.kafka,
      groupId: CONSUMER_GROUPS.reconciler,
      topics: [
        TOPICS.ledgerEvents,
        TOPICS.partnerEvents,
        TOPICS.partnerStatements,
        TOPICS.reconciliationCommands,
      ],
      worker: new ReconcilerWorker(this.dataSource, this.store, {
        partnerIds: this.options.partnerIds,
        log: (level, message) => this.options.log(level, message),
      }),
      batchSizeMax: 1_000,
      partitionsConsumedConcurrently: 4,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs,
      fetchWaitMsMax: 50,
      stallAfterMs: this.options.stallAfterMs,
      log: (level, message) => this.options.log(level, message),
    });
    await this.runner.start();
    this.runLoop = this.loopRuns();
    if (this.options.schedule) {
      this.cron = scheduleRuns(
        this.options.schedule,
        (date) => this.requestScheduled(date),
        (m, e) => this.options.log('warn', m, describeFailure(e)),
      );
    }
  }

  /** Asks for a run of `date` for every partner (the schedule's tick, or an operator). */
  async requestScheduled(date: string): Promise<void> {
    await this.dataSource.transaction((manager) =>
      requestRuns(
        manager,
        this.options.partnerIds.map((partnerId) => ({
          requestId: `schedule:${partnerId}:${date}`,
          partnerId,
          date,
          trigger: 'schedule' as const,
          requestedBy: 'schedule',
        })),
      ),
    );
  }

  private async loopRuns(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (!(await this.recordsReady())) {
          await sleep(this.options.runPollMs);
          continue;
        }
        const report = await this.executor.runNext();
        failures = 0;
        if (report) this.options.onRun?.(report);
        if (report) this.options.log('info', `reconciliation run ${report.runId}`, report);
        else await sleep(this.options.runPollMs);
      } catch (error) {
        failures += 1;
        this.options.log('warn', 'reconciliation run failed; retried', describeFailure(error));
        await sleep(Math.min(10_000, 200 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  /**
   * No run waits, or our records caught up with the ledger's and adapter's events as they stood
   * when the waiting began (a low-water offset snapshot, taken again for the next run).
   */
  private async recordsReady(): Promise<boolean> {
    if (!this.admin || !(await runsWaiting(this.dataSource))) {
      this.catchUpTarget = null;
      return true;
    }
    const fresh = this.catchUpTarget === null;
    this.catchUpTarget ??= await recordTopicEnds(this.admin);
    const behind = await recordsBehind(this.dataSource, this.catchUpTarget);
    if (behind > 0n) {
      if (fresh) this.options.log('info', `runs wait: our records are ${behind} events behind`);
      return false;
    }
    this.catchUpTarget = null;
    return true;
  }

  assertConsuming(): void {
    if (!this.runner) throw new Error('reconciler consumer not started');
    this.runner.assertHealthy();
  }

  async checkKafka(): Promise<void> {
    if (!this.admin) throw new Error('not connected');
    await this.admin.describeCluster();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cron?.stop();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.runLoop;
    await this.runner?.stop();
    await this.outbox.stop().catch(() => undefined);
    await this.producer.disconnect();
    await this.admin?.disconnect();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
