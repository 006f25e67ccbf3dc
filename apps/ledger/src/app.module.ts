import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import {
  HealthController,
  MetricsController,
  READINESS_CHECKS,
  ReadinessCheck,
  loggerModule,
} from '@rtp/shared/observability';
import {
  InternalApiKeyGuard,
  LEDGER_INTERNAL_API_KEY,
  LedgerInternalController,
  LedgerRuntime,
} from '@rtp/ledger/infrastructure';
import { PinoLogger } from 'nestjs-pino';
import { LedgerConfig } from './config';

@Injectable()
class LedgerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(LedgerRuntime) private readonly runtime: LedgerRuntime) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}

@Module({})
export class AppModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [loggerModule('ledger', config.LOG_LEVEL)],
      controllers: [HealthController, MetricsController, LedgerInternalController],
      providers: [
        {
          provide: LedgerRuntime,
          inject: [PinoLogger],
          useFactory: (logger: PinoLogger) =>
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
              log: (level, message, detail) => logger[level]({ detail }, message),
            }),
        },
        {
          provide: READINESS_CHECKS,
          inject: [LedgerRuntime],
          useFactory: (runtime: LedgerRuntime): ReadinessCheck[] => [
            {
              name: 'database',
              check: async () => void (await runtime.dataSource.query('SELECT 1')),
            },
            { name: 'kafka', check: () => runtime.checkKafka() },
            { name: 'consumer', check: async () => runtime.assertConsuming() },
          ],
        },
        { provide: LEDGER_INTERNAL_API_KEY, useValue: config.LEDGER_INTERNAL_API_KEY ?? null },
        InternalApiKeyGuard,
        LedgerLifecycle,
      ],
    };
  }
}
