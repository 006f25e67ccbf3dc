import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  CreateTransferHandler,
  GetStatementHandler,
  IdsAndClock,
  SettleTransfersHandler,
  SimulateCreditHandler,
  WebhookFactory,
} from '@rtp/sandbox-bank/application';
import { FaultSettings, NO_FAULTS } from '@rtp/sandbox-bank/domain';
import { createAppDataSource, migrateSchema } from '@rtp/shared/database';
import type { RuntimeLog, ServiceRuntime } from '@rtp/shared/observability';
import { BankWorker } from './bank-worker';
import { FaultControl } from './fault-control';
import { SANDBOX_BANK_MIGRATIONS_DIRECTORY } from './migrations-directory';
import { PostgresCreditStatementStore } from './postgres/credit-statement.store';
import { PostgresFaultSettingsStore } from './postgres/fault-settings.store';
import { PostgresTransferStore } from './postgres/transfer.store';
import { PostgresWebhookOutbox } from './postgres/webhook-outbox.store';
import { WebhookDeliverer, WebhookDeliverySettings } from './webhooks/webhook-deliverer';

export interface SandboxBankOptions {
  databaseUrl: string;
  databasePoolSizeMax: number;
  apiKey: string;
  adminKey: string;
  settlementIban: string;
  settlementCurrencies: string[];
  settlementBalanceMinor: bigint;
  bookingDelayMs: number;
  returnRate: number;
  returnDelayMs: number;
  transferAmountMinorMax: bigint;
  deniedCreditors: ReadonlyMap<string, string>;
  faultSeed: number;
  /** SANDBOX_BANK_FAULTS: replaces the stored settings at start when set. */
  faults: FaultSettings | null;
  /** Null when SANDBOX_BANK_WEBHOOK_URL is unset: no webhooks are queued or sent. */
  webhooks: WebhookDeliverySettings | null;
  idempotencyRetentionMs: number;
  workerIntervalMs: number;
  batchSizeMax: number;
  log: RuntimeLog;
}

const SYSTEM: IdsAndClock = {
  now: () => new Date(),
  // 31 hex digits (124 random bits): `trf_` + 31 is 35 characters, ISO 20022's Max35Text, so the
  // ids fit camt.053's references (NtryRef, AcctSvcrRef, TxId) as the official XSD demands.
  newId: (prefix) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 31)}`,
};

/** The sandbox bank's database, handlers and background worker. */
export class SandboxBankRuntime implements ServiceRuntime {
  readonly dataSource: DataSource;
  readonly transfers: PostgresTransferStore;
  readonly faults: FaultControl;
  readonly createTransfer: CreateTransferHandler;
  readonly simulateCredit: SimulateCreditHandler;
  readonly getStatement: GetStatementHandler;
  private readonly credits: PostgresCreditStatementStore;
  private readonly worker: BankWorker;

  constructor(readonly options: SandboxBankOptions) {
    this.dataSource = createAppDataSource({
      url: options.databaseUrl,
      schema: 'sandbox_bank',
      appRole: 'sandbox_bank_app',
      applicationName: 'sandbox-bank',
      poolSizeMax: options.databasePoolSizeMax,
      statementTimeoutMs: 30_000,
      idleInTransactionTimeoutMs: 10_000,
      lockTimeoutMs: 10_000,
    });
    const { settlementIban, idempotencyRetentionMs } = options;
    this.transfers = new PostgresTransferStore(this.dataSource, settlementIban);
    this.credits = new PostgresCreditStatementStore(this.dataSource);
    this.faults = new FaultControl(
      options.faultSeed,
      NO_FAULTS,
      new PostgresFaultSettingsStore(this.dataSource),
    );
    const webhooks = new WebhookFactory(this.faults, SYSTEM, options.webhooks !== null);
    this.createTransfer = new CreateTransferHandler(
      this.transfers,
      webhooks,
      { settlementIban, bookingDelayMs: options.bookingDelayMs, idempotencyRetentionMs },
      SYSTEM,
    );
    this.simulateCredit = new SimulateCreditHandler(
      this.credits,
      webhooks,
      { settlementIban, idempotencyRetentionMs },
      SYSTEM,
    );
    this.getStatement = new GetStatementHandler(this.credits, this.faults, settlementIban, SYSTEM);
    const settle = new SettleTransfersHandler(
      this.transfers,
      webhooks,
      this.faults,
      {
        deniedCreditors: options.deniedCreditors,
        amountMinorMax: options.transferAmountMinorMax,
        returnRate: options.returnRate,
      },
      { settlementIban, returnDelayMs: options.returnDelayMs, batchSizeMax: options.batchSizeMax },
      SYSTEM,
    );
    const deliverer = options.webhooks
      ? new WebhookDeliverer(new PostgresWebhookOutbox(this.dataSource), options.webhooks)
      : null;
    this.worker = new BankWorker(
      settle,
      deliverer,
      this.transfers,
      options.workerIntervalMs,
      options.log,
    );
  }

  async start(): Promise<void> {
    const applied = await migrateSchema({
      url: this.options.databaseUrl,
      schema: 'sandbox_bank',
      migrationsDirectory: SANDBOX_BANK_MIGRATIONS_DIRECTORY,
    });
    if (applied.length > 0) this.options.log('info', `applied migrations: ${applied.join(', ')}`);
    await this.dataSource.initialize();
    await this.credits.seedAccount(
      this.options.settlementIban,
      this.options.settlementCurrencies,
      this.options.settlementBalanceMinor,
      new Date(),
    );
    await this.faults.loadAtStart(this.options.faults);
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
