import { DynamicModule, Module } from '@nestjs/common';
import { logsDebug, serviceModule } from '@rtp/shared/observability';
import {
  InternalApiKeyGuard,
  LEDGER_INTERNAL_API_KEY,
  LedgerInternalController,
  LedgerRuntime,
} from '@rtp/ledger/infrastructure';
import { LedgerConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return serviceModule({
      module: AppModule,
      serviceName: 'ledger',
      logLevel: config.LOG_LEVEL,
      controllers: [LedgerInternalController],
      runtime: {
        token: LedgerRuntime,
        create: (log) =>
          new LedgerRuntime({
            databaseUrl: config.DATABASE_URL,
            databasePoolSizeMax: config.LEDGER_DATABASE_POOL_SIZE_MAX,
            kafkaBrokers: config.KAFKA_BROKERS,
            topicPartitions: config.TOPIC_PARTITIONS,
            consumerGroup: config.LEDGER_CONSUMER_GROUP,
            batchSizeMax: config.LEDGER_BATCH_SIZE_MAX,
            partitionsConsumedConcurrently: config.LEDGER_PARTITIONS_CONCURRENCY,
            consumersPerProcess: config.LEDGER_CONSUMERS_PER_PROCESS,
            sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
            heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
            fetchWaitMsMax: config.KAFKA_FETCH_WAIT_MS_MAX,
            fetchBytesMin: config.LEDGER_FETCH_BYTES_MIN,
            accountsCachedMax: config.LEDGER_ACCOUNTS_CACHED_MAX,
            stallAfterMs: config.CONSUMER_STALL_SECONDS * 1_000,
            log,
            logDebug: logsDebug(config.LOG_LEVEL)
              ? (message, detail) => log('debug', message, detail)
              : null,
          }),
        readiness: (runtime) => [
          {
            name: 'database',
            check: async () => void (await runtime.dataSource.query('SELECT 1')),
          },
          { name: 'kafka', check: () => runtime.checkKafka() },
          { name: 'consumer', check: async () => runtime.assertConsuming() },
        ],
      },
      providers: [
        { provide: LEDGER_INTERNAL_API_KEY, useValue: config.LEDGER_INTERNAL_API_KEY ?? null },
        InternalApiKeyGuard,
      ],
    });
  }
}
