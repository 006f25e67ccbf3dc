import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import {
  ApproveResolutionHandler,
  AuthenticateHandler,
  ChangeAccountSettingsHandler,
  CreateOperatorHandler,
  DeclineResolutionHandler,
  GetExceptionHandler,
  ListExceptionsHandler,
  ListMatchingRulesHandler,
  ListOperatorsHandler,
  ListReconciliationRunsHandler,
  ProposeResolutionHandler,
  RequestReconciliationRunHandler,
  RevokeOperatorHandler,
  CreateClientHandler,
  FreezeAccountHandler,
  GetAccountHandler,
  GetBalanceHandler,
  GetPaymentHandler,
  ListEntriesHandler,
  ListPaymentsHandler,
  OpenAccountHandler,
  SubmitPaymentHandler,
  SubmitPayoutHandler,
  UploadStatementHandler,
} from '@rtp/gateway/application';
import { webhookSettingsOf, webhookUseCases } from './webhooks.providers';
import {
  AccountAdminController,
  AccountsController,
  AdminController,
  ApiKeyGuard,
  ApiRateLimiter,
  GATEWAY_SETTINGS,
  GatewayRuntime,
  OpenApiController,
  PaymentsController,
  OperatorsController,
  PayoutsController,
  PostgresStatementUploads,
  StatementBodyParsers,
  StatementsController,
  REVIEW_CLOCK,
  ReconciliationController,
  ReviewPageController,
  SYSTEM_IDS_AND_CLOCK,
  WebhooksController,
} from '@rtp/gateway/infrastructure';
import { RuntimeLog, serviceModule } from '@rtp/shared/observability';
import { GatewayConfig } from './config';

const HOURS_MS = 3_600_000;

function gatewayRuntime(config: GatewayConfig, log: RuntimeLog): GatewayRuntime {
  return new GatewayRuntime({
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
    webhooks: webhookSettingsOf(config),
    log,
  });
}

/** A provider of `token` made from the runtime's store, read models, caches and listener. */
function fromRuntime<T>(token: Type<T>, make: (runtime: GatewayRuntime) => T): Provider {
  return { provide: token, inject: [GatewayRuntime], useFactory: make };
}

/** Operators and the reconciliation review queue (libs/gateway/application's review use cases). */
function reviewUseCases(config: GatewayConfig): Provider[] {
  const retentionMs = config.IDEMPOTENCY_RETENTION_HOURS * HOURS_MS;
  const system = SYSTEM_IDS_AND_CLOCK;
  return [
    fromRuntime(CreateOperatorHandler, (r) => new CreateOperatorHandler(r.reviewStore, system)),
    fromRuntime(ListOperatorsHandler, (r) => new ListOperatorsHandler(r.reviewStore)),
    fromRuntime(RevokeOperatorHandler, (r) => new RevokeOperatorHandler(r.reviewStore)),
    fromRuntime(
      ProposeResolutionHandler,
      (r) => new ProposeResolutionHandler(r.reviewStore, r.relay, system, retentionMs),
    ),
    fromRuntime(
      ApproveResolutionHandler,
      (r) => new ApproveResolutionHandler(r.reviewStore, r.relay, system, retentionMs),
    ),
    fromRuntime(
      DeclineResolutionHandler,
      (r) => new DeclineResolutionHandler(r.reviewStore, r.relay, system, retentionMs),
    ),
    fromRuntime(
      RequestReconciliationRunHandler,
      (r) => new RequestReconciliationRunHandler(r.reviewStore, r.relay, system),
    ),
    fromRuntime(
      ListExceptionsHandler,
      (r) => new ListExceptionsHandler(r.reviewReadModels, system),
    ),
    fromRuntime(GetExceptionHandler, (r) => new GetExceptionHandler(r.reviewReadModels)),
    fromRuntime(
      ListReconciliationRunsHandler,
      (r) => new ListReconciliationRunsHandler(r.reviewReadModels),
    ),
    fromRuntime(ListMatchingRulesHandler, (r) => new ListMatchingRulesHandler(r.reviewReadModels)),
    { provide: REVIEW_CLOCK, useValue: system },
  ];
}

/** Every use case, each with the ports it needs. */
function useCases(config: GatewayConfig): Provider[] {
  const retentionMs = config.IDEMPOTENCY_RETENTION_HOURS * HOURS_MS;
  const system = SYSTEM_IDS_AND_CLOCK;
  return [
    fromRuntime(
      UploadStatementHandler,
      (r) => new UploadStatementHandler(new PostgresStatementUploads(r.primary), r.relay, system),
    ),
    StatementBodyParsers,
    fromRuntime(
      AuthenticateHandler,
      (r) => new AuthenticateHandler(r.apiKeys, config.ADMIN_API_KEY),
    ),
    fromRuntime(CreateClientHandler, (r) => new CreateClientHandler(r.store, system)),
    fromRuntime(
      OpenAccountHandler,
      (r) =>
        new OpenAccountHandler(r.store, r.relay, r.listener, system, config.VIRTUAL_IBAN_BANK_CODE),
    ),
    fromRuntime(
      FreezeAccountHandler,
      (r) => new FreezeAccountHandler(r.store, r.relay, r.listener, retentionMs, system),
    ),
    fromRuntime(
      ChangeAccountSettingsHandler,
      (r) => new ChangeAccountSettingsHandler(r.store, system),
    ),
    fromRuntime(
      SubmitPaymentHandler,
      (r) =>
        new SubmitPaymentHandler(
          r.store,
          r.acceptor,
          r.accountFacts,
          r.listener,
          retentionMs,
          config.PAYMENT_AMOUNT_MINOR_MAX,
          system,
        ),
    ),
    fromRuntime(
      SubmitPayoutHandler,
      (r) =>
        new SubmitPayoutHandler(
          r.store,
          r.acceptor,
          r.accountFacts,
          r.listener,
          {
            partnerId: config.PARTNER_ID,
            idempotencyRetentionMs: retentionMs,
            amountMinorMax: config.PAYMENT_AMOUNT_MINOR_MAX,
          },
          system,
        ),
    ),
    fromRuntime(GetAccountHandler, (r) => new GetAccountHandler(r.readModels)),
    fromRuntime(GetBalanceHandler, (r) => new GetBalanceHandler(r.readModels)),
    fromRuntime(ListEntriesHandler, (r) => new ListEntriesHandler(r.readModels)),
    fromRuntime(GetPaymentHandler, (r) => new GetPaymentHandler(r.readModels)),
    fromRuntime(ListPaymentsHandler, (r) => new ListPaymentsHandler(r.readModels)),
  ];
}

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return serviceModule({
      module: AppModule,
      serviceName: 'gateway',
      logLevel: config.LOG_LEVEL,
      controllers: [
        AdminController,
        AccountsController,
        AccountAdminController,
        PaymentsController,
        PayoutsController,
        OpenApiController,
        StatementsController,
        OperatorsController,
        ReconciliationController,
        ReviewPageController,
        WebhooksController,
      ],
      runtime: {
        token: GatewayRuntime,
        create: (log) => gatewayRuntime(config, log),
        readiness: (runtime) => [
          { name: 'database', check: async () => void (await runtime.primary.query('SELECT 1')) },
          { name: 'kafka', check: () => runtime.checkKafka() },
          { name: 'outcome-listener', check: () => runtime.listener.check() },
          { name: 'projection-consumer', check: async () => runtime.assertConsuming() },
        ],
      },
      providers: [
        ...useCases(config),
        ...reviewUseCases(config),
        ...webhookUseCases(config),
        {
          provide: GATEWAY_SETTINGS,
          useValue: { paymentWaitMsDefault: config.PAYMENT_WAIT_MS_DEFAULT },
        },
        {
          provide: ApiRateLimiter,
          useValue: new ApiRateLimiter(config.GATEWAY_RATE_LIMIT_PER_SECOND),
        },
        ApiKeyGuard,
      ],
    });
  }
}
