import { DynamicModule, Module } from '@nestjs/common';
import { SENSITIVE_LOG_PATHS } from '@rtp/partner-adapter/domain';
import {
  ADAPTER_ADMIN_KEY,
  AdminKeyGuard,
  BreakerSettings,
  PartnerAdapterRuntime,
  ReviewController,
  WebhooksController,
} from '@rtp/partner-adapter/infrastructure';
import { RuntimeLog, serviceModule } from '@rtp/shared/observability';
import { PartnerAdapterConfig } from './config';

function breaker(config: PartnerAdapterConfig, timeoutMs: number): BreakerSettings {
  return {
    timeoutMs,
    errorThresholdPercentage: config.PARTNER_BREAKER_ERROR_PERCENT,
    resetTimeoutMs: config.PARTNER_BREAKER_RESET_MS,
    volumeThreshold: config.PARTNER_BREAKER_VOLUME_THRESHOLD,
    rollingCountTimeoutMs: config.PARTNER_BREAKER_WINDOW_MS,
  };
}

function runtime(config: PartnerAdapterConfig, log: RuntimeLog): PartnerAdapterRuntime {
  return new PartnerAdapterRuntime({
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    topicPartitions: config.TOPIC_PARTITIONS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
    stallAfterMs: config.CONSUMER_STALL_SECONDS * 1_000,
    partnerId: config.PARTNER_ID,
    bankUrl: config.PARTNER_BANK_URL,
    bankApiKey: config.PARTNER_BANK_API_KEY,
    webhookSecret: config.PARTNER_WEBHOOK_SECRET,
    settlementIban: config.PARTNER_SETTLEMENT_IBAN,
    pendingDeadlineMs: config.PARTNER_PENDING_DEADLINE_MS,
    creditRouting: {
      virtualIbanBankCode: config.PARTNER_VIRTUAL_IBAN_BANK_CODE,
      waitMs: config.PARTNER_UNKNOWN_IBAN_WAIT_MS,
    },
    breakers: {
      create: breaker(config, config.PARTNER_CREATE_TIMEOUT_MS),
      status: breaker(config, config.PARTNER_STATUS_TIMEOUT_MS),
    },
    decisions: {
      checkBackoff: {
        baseDelayMs: config.PARTNER_CHECK_BASE_MS,
        maxDelayMs: config.PARTNER_CHECK_MAX_MS,
      },
      notSentBackoff: { baseDelayMs: 100, maxDelayMs: 5_000 },
      notSentRetriesMax: config.PARTNER_NOT_SENT_RETRIES_MAX,
      submissionLeaseMs: config.PARTNER_CREATE_TIMEOUT_MS * 4,
      returnWatchMs: config.PARTNER_RETURN_WATCH_MS,
      returnCheckIntervalMs: config.PARTNER_RETURN_CHECK_INTERVAL_MS,
      random: Math.random,
    },
    senderConcurrency: config.PARTNER_SENDER_CONCURRENCY,
    pollIdleMs: config.PARTNER_POLL_IDLE_MS,
    statements: {
      cron: config.PARTNER_STATEMENT_SCHEDULE,
      daysBack: config.PARTNER_STATEMENT_DAYS_BACK,
      format: config.PARTNER_STATEMENT_FORMAT,
      timeoutMs: config.PARTNER_STATEMENT_TIMEOUT_MS,
      attemptsMax: config.PARTNER_STATEMENT_ATTEMPTS_MAX,
      retryDelayMs: 1_000,
    },
    log,
  });
}

@Module({})
export class AppModule {
  static forRoot(config: PartnerAdapterConfig): DynamicModule {
    return serviceModule({
      module: AppModule,
      serviceName: 'partner-adapter',
      logLevel: config.LOG_LEVEL,
      redactPaths: SENSITIVE_LOG_PATHS,
      controllers: [WebhooksController, ReviewController],
      runtime: {
        token: PartnerAdapterRuntime,
        create: (log) => runtime(config, log),
        readiness: (r) => [
          { name: 'database', check: async () => void (await r.dataSource.query('SELECT 1')) },
          { name: 'kafka', check: () => r.checkKafka() },
          { name: 'ledger-events-consumer', check: async () => r.assertConsuming() },
        ],
      },
      providers: [{ provide: ADAPTER_ADMIN_KEY, useValue: config.ADMIN_API_KEY }, AdminKeyGuard],
    });
  }
}
