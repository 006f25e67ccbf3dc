import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { StartedInfrastructure, startInfrastructure } from '../../infra/index';
import { ServiceHandle, Supervisor, services, supervision } from '../../service-processes';
import { ServiceExitRecord } from '../chaos-platform';

export type PayoutServiceName = 'ledger' | 'gateway' | 'sandbox-bank' | 'partner-adapter';

/** A service process that ended, and whether the harness caused it. */
export type PayoutExitRecord = Omit<ServiceExitRecord, 'service'> & { service: PayoutServiceName };

const PORT_VARIABLES: Record<PayoutServiceName, string> = {
  ledger: 'LEDGER_PORT',
  gateway: 'GATEWAY_PORT',
  'sandbox-bank': 'SANDBOX_BANK_PORT',
  'partner-adapter': 'PARTNER_ADAPTER_PORT',
};
const START_ORDER: PayoutServiceName[] = ['ledger', 'gateway', 'sandbox-bank', 'partner-adapter'];
const READY_TIMEOUT_MS = 180_000;
const READY_PROBE_TIMEOUT_MS = 2_000;
export const SETTLEMENT_IBAN = 'DE89370400440532013000';

/** What the services are started with, beyond their ports and keys. */
export interface PayoutPlatformSettings {
  faultSeed: number;
  /** The adapter's longest pause between two status queries of one payout. */
  checkMaxMs: number;
  /** The supervisor's longest pause before a restart (the kills come quickly one after another). */
  restartDelayMsMax: number;
}

/**
 * PostgreSQL and Kafka of our own (tools/infra), then the ledger, the gateway, the sandbox bank and
 * the partner adapter, each under the supervisor `npm start` uses: a killed adapter comes back by
 * itself, as it would in production.
 */
export class PayoutPlatform {
  readonly adminApiKey = `rtp_chaos_admin_${randomBytes(24).toString('base64url')}`;
  readonly bankApiKey = `sbk_chaos_${randomBytes(18).toString('base64url')}`;
  readonly bankAdminKey = `sbk_chaos_admin_${randomBytes(18).toString('base64url')}`;
  readonly webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  readonly exits: PayoutExitRecord[] = [];
  readonly logDir: string;
  private infrastructure: StartedInfrastructure | null = null;
  private readonly supervisors = new Map<PayoutServiceName, Supervisor>();
  private readonly ports = new Map<PayoutServiceName, number>();
  private readonly plannedKills = new Set<number>();

  constructor(
    private readonly repoRoot: string,
    readonly dataDir: string,
    private readonly settings: PayoutPlatformSettings,
    private readonly log: (message: string) => void,
    private readonly clock: () => number,
  ) {
    this.logDir = join(dataDir, 'logs');
  }

  get infra(): StartedInfrastructure {
    if (!this.infrastructure) throw new Error('the infrastructure is not started');
    return this.infrastructure;
  }

  url(service: PayoutServiceName): string {
    return `http://127.0.0.1:${this.ports.get(service)}`;
  }

  get gatewayUrl(): string {
    return this.url('gateway');
  }

  logFile(service: PayoutServiceName): string {
    return join(this.logDir, `${service}.log`);
  }

  async start(): Promise<void> {
    this.infrastructure = await startInfrastructure({
      repoRoot: this.repoRoot,
      dataDir: join(this.dataDir, 'infra'),
      env: {},
      ports: {},
      log: (message) => this.log(`[infra] ${message}`),
    });
    for (const service of START_ORDER) this.ports.set(service, await services.freePort());
    // The ledger first: it creates its schema; the bank before the adapter that calls it.
    for (const service of START_ORDER) await this.startService(service);
  }

  private environment(service: PayoutServiceName): Record<string, string> {
    const { databaseUrl, kafkaBrokers } = this.infra;
    const common = {
      [PORT_VARIABLES[service]]: String(this.ports.get(service)),
      LOG_LEVEL: 'info',
    };
    if (service === 'sandbox-bank') {
      return {
        ...common,
        SANDBOX_BANK_DATABASE_URL: databaseUrl,
        SANDBOX_BANK_API_KEY: this.bankApiKey,
        SANDBOX_BANK_ADMIN_KEY: this.bankAdminKey,
        SANDBOX_BANK_WEBHOOK_SECRET: this.webhookSecret,
        SANDBOX_BANK_WEBHOOK_URL: `${this.url('partner-adapter')}/webhooks/bank`,
        SANDBOX_BANK_WEBHOOK_BACKOFF_MS_MIN: '100',
        SANDBOX_BANK_WEBHOOK_BACKOFF_MS_MAX: '2000',
        SANDBOX_BANK_BOOKING_DELAY_MS: '100',
        SANDBOX_BANK_FAULT_SEED: String(this.settings.faultSeed),
        SANDBOX_BANK_FAULTS: '{}',
        PARTNER_SETTLEMENT_IBAN: SETTLEMENT_IBAN,
      };
    }
    const platform = {
      ...common,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: kafkaBrokers,
      ADMIN_API_KEY: this.adminApiKey,
    };
    if (service === 'partner-adapter') {
      return {
        ...platform,
        PARTNER_BANK_URL: this.url('sandbox-bank'),
        PARTNER_BANK_API_KEY: this.bankApiKey,
        PARTNER_WEBHOOK_SECRET: this.webhookSecret,
        PARTNER_SETTLEMENT_IBAN: SETTLEMENT_IBAN,
        PARTNER_CHECK_MAX_MS: String(this.settings.checkMaxMs),
      };
    }
    return { ...platform, GATEWAY_RATE_LIMIT_PER_SECOND: '100000' };
  }

  private async startService(service: PayoutServiceName): Promise<void> {
    const env = this.environment(service);
    const starts: ServiceHandle[] = [];
    const supervisor = supervision.supervise({
      name: service,
      log: (message) => this.log(`[supervisor] ${message}`),
      policy: { maxDelayMs: this.settings.restartDelayMsMax },
      start: () =>
        services.startService({ repoRoot: this.repoRoot, app: service, logDir: this.logDir, env }),
      onStart: (handle) => starts.push(handle),
      onExit: (exit) => {
        const planned = exit.pid !== undefined && this.plannedKills.delete(exit.pid);
        const { pid, code, signal } = exit;
        this.exits.push({ service, pid, code, signal, atMs: this.clock(), planned });
      },
    });
    this.supervisors.set(service, supervisor);
    await services.waitForReady(`${this.url(service)}/health/ready`, READY_TIMEOUT_MS, starts[0]);
    this.log(`${service} ready on port ${this.ports.get(service)} (pid ${starts[0].child.pid})`);
  }

  /** SIGKILL of the running process; its supervisor starts another. */
  kill(service: PayoutServiceName): number {
    const pid = this.supervisors.get(service)?.current?.child.pid;
    if (pid === undefined) throw new Error(`${service} is not running (between restarts)`);
    this.plannedKills.add(pid);
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** 'ready', or what /health/ready answered instead. */
  async readiness(service: PayoutServiceName): Promise<string> {
    try {
      const response = await fetch(`${this.url(service)}/health/ready`, {
        signal: AbortSignal.timeout(READY_PROBE_TIMEOUT_MS),
      });
      return response.ok ? 'ready' : `${response.status} ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  restarts(service: PayoutServiceName): number {
    return this.supervisors.get(service)?.restarts ?? 0;
  }

  async stopServices(graceMs?: number): Promise<void> {
    // The adapter and the bank first: nothing is sent to the ledger after it stopped.
    for (const service of [...START_ORDER].reverse()) {
      await this.supervisors.get(service)?.stop(graceMs);
    }
  }

  async stop(graceMs?: number): Promise<void> {
    await this.stopServices(graceMs);
    await this.infrastructure?.stop();
    this.infrastructure = null;
  }
}
