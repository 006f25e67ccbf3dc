import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  AuthenticateHandler,
  ChangeAccountSettingsHandler,
  CreateClientHandler,
  FreezeAccountHandler,
  OpenAccountHandler,
  SubmitPaymentHandler,
} from '@rtp/gateway/application';
import {
  AccountAdminController,
  AccountSettingsController,
  AccountsController,
  AdminController,
  ApiRateLimiter,
  ApiKeyGuard,
  GATEWAY_SETTINGS,
  GatewayReadModels,
  GatewayRuntime,
  OpenApiController,
  PaymentsController,
  PostgresGatewayStore,
  SYSTEM_IDS_AND_CLOCK,
} from '@rtp/gateway/infrastructure';
import {
  HealthController,
  MetricsController,
  READINESS_CHECKS,
  ReadinessCheck,
  loggerModule,
} from '@rtp/shared/observability';
import { GatewayConfig } from './config';

@Injectable()
class GatewayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(GatewayRuntime) private readonly runtime: GatewayRuntime) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}

const HOURS_MS = 3_600_000;

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const fromRuntime = <T>(pick: (runtime: GatewayRuntime) => T) => ({
      inject: [GatewayRuntime],
      useFactory: pick,
    });
    return {
      module: AppModule,
      imports: [loggerModule('gateway', config.LOG_LEVEL)],
      controllers: [
        AdminController,
        AccountsController,
        AccountAdminController,
        AccountSettingsController,
        PaymentsController,
        HealthController,
        MetricsController,
        OpenApiController,
      ],
      providers: [
        {
          provide: GatewayRuntime,
          inject: [PinoLogger],
          useFactory: (logger: PinoLogger) =>
            new GatewayRuntime({
              databaseUrl: config.DATABASE_URL,
              readDatabaseUrl: config.READ_DATABASE_URL,
              databasePoolSizeMax: config.GATEWAY_DATABASE_POOL_SIZE_MAX,
              kafkaBrokers: config.KAFKA_BROKERS,
              topicPartitions: config.TOPIC_PARTITIONS,
              sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
              heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
              fetchWaitMsMax: config.KAFKA_FETCH_WAIT_MS_MAX,
              stallAfterMs: config.CONSUMER_STALL_SECONDS * 1_000,
              projectionConsumers: config.GATEWAY_PROJECTION_CONSUMERS,
              accept: {
                windowMs: config.GATEWAY_ACCEPT_WINDOW_MS,
                requestsMax: config.GATEWAY_ACCEPT_GROUP_SIZE_MAX,
                groupsInFlightMax: config.GATEWAY_ACCEPT_GROUPS_IN_FLIGHT_MAX,
              },
              accountFactsEntriesMax: config.GATEWAY_ACCOUNT_CACHE_SIZE_MAX,
              apiKeyEntriesMax: config.GATEWAY_API_KEY_CACHE_SIZE_MAX,
              log: (level, message, detail) => logger[level]({ detail }, message),
            }),
        },
        { provide: PostgresGatewayStore, ...fromRuntime((runtime) => runtime.store) },
        { provide: GatewayReadModels, ...fromRuntime((runtime) => runtime.readModels) },
        {
          provide: FreezeAccountHandler,
          ...fromRuntime(
            (runtime) =>
              new FreezeAccountHandler(
                runtime.store,
                runtime.relay,
                runtime.listener,
                config.IDEMPOTENCY_RETENTION_HOURS * HOURS_MS,
                SYSTEM_IDS_AND_CLOCK,
              ),
          ),
        },
        {
          provide: ChangeAccountSettingsHandler,
          ...fromRuntime(
            (runtime) => new ChangeAccountSettingsHandler(runtime.store, SYSTEM_IDS_AND_CLOCK),
          ),
        },
        {
          provide: GATEWAY_SETTINGS,
          useValue: { paymentWaitMsDefault: config.PAYMENT_WAIT_MS_DEFAULT },
        },
        {
          provide: AuthenticateHandler,
          ...fromRuntime(
            (runtime) => new AuthenticateHandler(runtime.apiKeys, config.ADMIN_API_KEY),
          ),
        },
        {
          provide: CreateClientHandler,
          ...fromRuntime((runtime) => new CreateClientHandler(runtime.store, SYSTEM_IDS_AND_CLOCK)),
        },
        {
          provide: OpenAccountHandler,
          ...fromRuntime(
            (runtime) =>
              new OpenAccountHandler(
                runtime.store,
                runtime.relay,
                runtime.listener,
                SYSTEM_IDS_AND_CLOCK,
              ),
          ),
        },
        {
          provide: SubmitPaymentHandler,
          ...fromRuntime(
            (runtime) =>
              new SubmitPaymentHandler(
                runtime.store,
                runtime.acceptor,
                runtime.accountFacts,
                runtime.listener,
                config.IDEMPOTENCY_RETENTION_HOURS * HOURS_MS,
                config.PAYMENT_AMOUNT_MINOR_MAX,
                SYSTEM_IDS_AND_CLOCK,
              ),
          ),
        },
        {
          provide: READINESS_CHECKS,
          ...fromRuntime((runtime): ReadinessCheck[] => [
            { name: 'database', check: async () => void (await runtime.primary.query('SELECT 1')) },
            { name: 'kafka', check: () => runtime.checkKafka() },
            { name: 'outcome-listener', check: () => runtime.listener.check() },
            { name: 'projection-consumer', check: async () => runtime.assertConsuming() },
          ]),
        },
        {
          provide: ApiRateLimiter,
          useValue: new ApiRateLimiter(config.GATEWAY_RATE_LIMIT_PER_SECOND),
        },
        ApiKeyGuard,
        GatewayLifecycle,
      ],
    };
  }
}
