import { loadGatewayConfig } from '../../apps/gateway/src/config';
import { loadLedgerConfig } from '../../apps/ledger/src/config';
import { reportedSettings } from '../bench/bench-config';
import { MachineInfo, machineInfo, round } from '../bench/machine-info';
import { Calibration, ratioToPgbench } from '../bench/pgbench-calibration';
import { ProcessMemory } from '../bench/process-memory';
import { ApiBenchConfig } from './api-bench-config';
import { ServiceLogSummary, summariseServiceLog } from './service-log';
import { StepResult } from './step-figures';

/** The figures of one run, as printed and as written to results/api-bench-<time>.json. */
export interface ApiBenchResult {
  benchmark: 'api';
  status: 'completed' | 'failed' | 'interrupted';
  startedAt: string;
  finishedAt: string;
  parameters: Record<string, unknown>;
  machine: MachineInfo;
  versions: Record<string, string>;
  postgresSettings: Record<string, string>;
  serviceSettings: Record<string, Record<string, string>>;
  phases: Record<string, number>;
  /** pgbench TPC-B on the same PostgreSQL before the load: the yardstick of every rate. */
  calibration: Calibration | null;
  steps: StepResult[];
  /** The highest intended rate whose p99 over all requests met the target; null if none did. */
  highestRateWithinLatencyTarget: number | null;
  /** The run's figures divided by pgbench's tps (each step has its own too). */
  ratiosToPgbench: { highestRateWithinLatencyTarget: number | null };
  /** The services' resident memory at the end of the run (peak: VmHWM). */
  memory: { gateway: ProcessMemory | null; ledger: ProcessMemory | null };
  logs: Record<string, ServiceLogSummary>;
  error: string | null;
}

/**
 * The services inherit this environment: read their settings as they will, so that a wrong one
 * stops the benchmark before anything starts. The URLs and the key are placeholders.
 */
export function serviceSettingsOf(
  env: Record<string, string | undefined>,
): Record<'gateway' | 'ledger', Record<string, string>> {
  const placeholders = {
    ...env,
    DATABASE_URL: 'postgres://placeholder',
    KAFKA_BROKERS: 'placeholder:9092',
    ADMIN_API_KEY: 'x'.repeat(32),
  };
  const gateway = loadGatewayConfig(placeholders);
  const ledger = loadLedgerConfig(placeholders);
  return {
    gateway: reportedSettings(gateway, ['GATEWAY_', 'PAYMENT_']),
    ledger: reportedSettings(ledger, ['LEDGER_']),
  };
}

const packageVersion = (name: string) =>
  (require(`${name}/package.json`) as { version: string }).version;

/** What a run has learnt so far: filled in phase by phase, reported even when a phase failed. */
export class ApiRunRecord {
  readonly startedAt = new Date();
  readonly machine = machineInfo();
  status: ApiBenchResult['status'] = 'failed';
  versions: Record<string, string> = {
    node: process.version,
    '@nestjs/core': packageVersion('@nestjs/core'),
    fastify: packageVersion('fastify'),
    kafkajs: packageVersion('kafkajs'),
    pg: packageVersion('pg'),
    'undici (load generator)': packageVersion('undici'),
  };
  postgresSettings: Record<string, string> = {};
  phases: Record<string, number> = {};
  calibration: Calibration | null = null;
  steps: StepResult[] = [];
  memory: ApiBenchResult['memory'] = { gateway: null, ledger: null };
  logFiles: Record<string, string> = {};
  error: string | null = null;

  constructor(
    private readonly config: ApiBenchConfig,
    readonly serviceSettings: Record<string, Record<string, string>>,
  ) {}

  /** Call once the services have stopped, so that their logs are complete. */
  toResult(): ApiBenchResult {
    const config = this.config;
    const within = this.steps
      .filter((step) => step.withinLatencyTarget)
      .map((step) => step.intendedRatePerSecond);
    const highest = within.length > 0 ? Math.max(...within) : null;
    return {
      benchmark: 'api',
      status: this.status,
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      parameters: {
        ratesPerSecond: config.ratesPerSecond,
        durationSeconds: config.durationMs / 1_000,
        connections: config.connections,
        accounts: config.accounts,
        clients: config.clients,
        outstandingMax: config.outstandingMax,
        requestTimeoutSeconds: config.requestTimeoutMs / 1_000,
        latencyTargetMs: config.latencyTargetMs,
        calibrationSeconds: config.calibrationSeconds,
        payment:
          'POST /v1/payments, 1-100 EUR cents between two random accounts of one client, ' +
          'fresh Idempotency-Key, no Prefer header (the default wait)',
        infrastructure: {
          postgres: config.databaseUrl ? 'given (DATABASE_URL)' : 'started by the benchmark',
          kafka: config.kafkaBrokers ? 'given (KAFKA_BROKERS)' : 'started by the benchmark',
        },
      },
      machine: this.machine,
      versions: this.versions,
      postgresSettings: this.postgresSettings,
      serviceSettings: this.serviceSettings,
      phases: Object.fromEntries(
        Object.entries(this.phases).map(([name, value]) => [name, round(value, 3)]),
      ),
      calibration: this.calibration,
      steps: this.steps,
      highestRateWithinLatencyTarget: highest,
      ratiosToPgbench: {
        highestRateWithinLatencyTarget: ratioToPgbench(this.calibration, highest),
      },
      memory: this.memory,
      logs: Object.fromEntries(
        Object.entries(this.logFiles).map(([service, file]) => [
          service,
          summariseServiceLog(file),
        ]),
      ),
      error: this.error,
    };
  }
}
