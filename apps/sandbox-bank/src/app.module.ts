import { DynamicModule, Module } from '@nestjs/common';
import {
  AdminController,
  SandboxBankRuntime,
  StatementsController,
  TransfersController,
} from '@rtp/sandbox-bank/infrastructure';
import { RuntimeLog, serviceModule } from '@rtp/shared/observability';
import { SandboxBankConfig } from './config';

const HOURS_MS = 3_600_000;
const DAYS_MS = 24 * HOURS_MS;

function webhookSettings(config: SandboxBankConfig) {
  if (!config.SANDBOX_BANK_WEBHOOK_URL || !config.SANDBOX_BANK_WEBHOOK_SECRET) return null;
  return {
    url: config.SANDBOX_BANK_WEBHOOK_URL,
    secret: config.SANDBOX_BANK_WEBHOOK_SECRET,
    timeoutMs: config.SANDBOX_BANK_WEBHOOK_TIMEOUT_MS,
    backoffMsMin: config.SANDBOX_BANK_WEBHOOK_BACKOFF_MS_MIN,
    backoffMsMax: config.SANDBOX_BANK_WEBHOOK_BACKOFF_MS_MAX,
    retryForMs: config.SANDBOX_BANK_WEBHOOK_RETRY_HOURS * HOURS_MS,
    leaseMs: config.SANDBOX_BANK_WEBHOOK_TIMEOUT_MS * 2,
    batchSizeMax: 50,
  };
}

function bankRuntime(config: SandboxBankConfig, log: RuntimeLog): SandboxBankRuntime {
  return new SandboxBankRuntime({
    databaseUrl: config.databaseUrl,
    databasePoolSizeMax: config.SANDBOX_BANK_DATABASE_POOL_SIZE_MAX,
    apiKey: config.SANDBOX_BANK_API_KEY,
    adminKey: config.SANDBOX_BANK_ADMIN_KEY,
    settlementIban: config.PARTNER_SETTLEMENT_IBAN,
    settlementCurrencies: config.SANDBOX_BANK_SETTLEMENT_CURRENCIES,
    settlementBalanceMinor: config.SANDBOX_BANK_SETTLEMENT_BALANCE_MINOR,
    bookingDelayMs: config.SANDBOX_BANK_BOOKING_DELAY_MS,
    returnRate: config.SANDBOX_BANK_RETURN_RATE,
    returnDelayMs: config.SANDBOX_BANK_RETURN_DELAY_MS,
    transferAmountMinorMax: config.SANDBOX_BANK_TRANSFER_AMOUNT_MINOR_MAX,
    deniedCreditors: config.SANDBOX_BANK_DENIED_CREDITORS,
    faultSeed: config.SANDBOX_BANK_FAULT_SEED,
    faults: config.SANDBOX_BANK_FAULTS ?? null,
    webhooks: webhookSettings(config),
    idempotencyRetentionMs: config.SANDBOX_BANK_IDEMPOTENCY_RETENTION_DAYS * DAYS_MS,
    workerIntervalMs: config.SANDBOX_BANK_WORKER_INTERVAL_MS,
    batchSizeMax: 100,
    log,
  });
}

@Module({})
export class AppModule {
  static forRoot(config: SandboxBankConfig): DynamicModule {
    return serviceModule({
      module: AppModule,
      serviceName: 'sandbox-bank',
      logLevel: config.LOG_LEVEL,
      controllers: [TransfersController, StatementsController, AdminController],
      runtime: {
        token: SandboxBankRuntime,
        create: (log) => bankRuntime(config, log),
        readiness: (runtime) => [
          {
            name: 'database',
            check: async () => void (await runtime.dataSource.query('SELECT 1')),
          },
        ],
      },
    });
  }
}
