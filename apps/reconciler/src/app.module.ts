import { DynamicModule, Module } from '@nestjs/common';
import { ReconcilerRuntime } from '@rtp/reconciler/infrastructure';
import { RuntimeLog, serviceModule } from '@rtp/shared/observability';
import { ReconcilerConfig } from './config';

function runtime(config: ReconcilerConfig, log: RuntimeLog): ReconcilerRuntime {
  return new ReconcilerRuntime({
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    topicPartitions: config.TOPIC_PARTITIONS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
    stallAfterMs: config.CONSUMER_STALL_SECONDS * 1_000,
    partnerIds: config.RECONCILER_PARTNER_IDS,
    rules: {
      dateWindowDays: config.RECONCILER_DATE_WINDOW_DAYS,
      feeTolerancePartnerId: config.RECONCILER_FEE_TOLERANCE_PARTNER_ID,
      feeToleranceMinor: config.RECONCILER_FEE_TOLERANCE_MINOR,
    },
    schedule: config.RECONCILER_SCHEDULE === 'off' ? null : config.RECONCILER_SCHEDULE,
    runPollMs: config.RECONCILER_RUN_POLL_MS,
    log,
  });
}

@Module({})
export class AppModule {
  static forRoot(config: ReconcilerConfig): DynamicModule {
    return serviceModule({
      module: AppModule,
      serviceName: 'reconciler',
      logLevel: config.LOG_LEVEL,
      runtime: {
        token: ReconcilerRuntime,
        create: (log) => runtime(config, log),
        readiness: (r) => [
          { name: 'database', check: async () => void (await r.dataSource.query('SELECT 1')) },
          { name: 'kafka', check: () => r.checkKafka() },
          { name: 'reconciler-consumer', check: async () => r.assertConsuming() },
        ],
      },
    });
  }
}
