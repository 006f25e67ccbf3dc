import { BenchConfig } from './bench-config';
import { BenchResult } from './bench-report';
import { CostTable } from './cost-table';
import { DrainFigures } from './drain-figures';
import { summariseLog } from './ledger-log';
import { machineInfo, round } from './machine-info';
import { Calibration, ratioToPgbench } from './pgbench-calibration';
import {
  TRANSFER_AMOUNT_MINOR_MAX,
  TRANSFER_AMOUNT_MINOR_MIN,
  WorkloadPlan,
} from './workload-plan';

/** What a run has learnt so far: filled in phase by phase, reported even when a phase failed. */
export class RunRecord {
  readonly startedAt = new Date();
  readonly machine = machineInfo();
  status: BenchResult['status'] = 'failed';
  versions: Record<string, string> = {
    node: process.version,
    kafkajs: (require('kafkajs/package.json') as { version: string }).version,
  };
  postgresSettings: Record<string, string> = {};
  phases: Record<string, number | null> = {};
  plan: WorkloadPlan | null = null;
  calibration: Calibration | null = null;
  drain: DrainFigures | null = null;
  cost: CostTable | null = null;
  memory: BenchResult['memory'] = { seedingLedger: null, drainingLedger: null };
  checks: BenchResult['checks'] = {
    stableForOneSecondAfterDrain: null,
    outboxPublishedSecondsAfterDrain: null,
    money: null,
  };
  ledgerLogFile: string | null = null;
  error: string | null = null;

  constructor(private readonly config: BenchConfig) {}

  /** Every throughput figure of the run, divided by pgbench's tps. */
  private ratios(): Record<string, number | null> {
    const ratio = (value: number | null | undefined) =>
      ratioToPgbench(this.calibration, value ?? null);
    return {
      drainTransfersPerSecond: ratio(this.drain?.transfersPerSecond),
      drainCommandsPerSecond: ratio(this.drain?.commandsPerSecond),
      postgresCommitsPerSecond: ratio(this.drain?.database.commitsPerSecond),
      preloadMessagesPerSecond: ratio(this.phases.preloadMessagesPerSecond),
    };
  }

  /** Call once the ledger has stopped, so that its log is complete. */
  toResult(): BenchResult {
    const config = this.config;
    return {
      benchmark: 'ledger',
      status: this.status,
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      parameters: {
        accounts: config.accounts,
        hotAccounts: config.hotAccounts,
        transfers: config.transfers,
        hotTransferShare: config.hotTransferShare,
        hotTransfers: this.plan?.hotTransfers ?? null,
        transferAmountMinor: [TRANSFER_AMOUNT_MINOR_MIN, TRANSFER_AMOUNT_MINOR_MAX],
        currency: 'EUR',
        seed: config.seed,
        runId: this.plan?.runId ?? null,
        drainTimeoutSeconds: config.drainTimeoutMs / 1_000,
        seedTimeoutSeconds: config.seedTimeoutMs / 1_000,
        calibrationSeconds: config.calibrationSeconds,
        infrastructure: {
          postgres: config.databaseUrl ? 'given (DATABASE_URL)' : 'started by the benchmark',
          kafka: config.kafkaBrokers ? 'given (KAFKA_BROKERS)' : 'started by the benchmark',
        },
        ledgerSettings: config.ledgerSettings,
      },
      machine: this.machine,
      versions: this.versions,
      postgresSettings: this.postgresSettings,
      phases: Object.fromEntries(
        Object.entries(this.phases).map(([name, value]) => [
          name,
          value === null ? null : round(value, 3),
        ]),
      ),
      calibration: this.calibration,
      ratiosToPgbench: this.ratios(),
      drain: this.drain,
      cost: this.cost,
      memory: this.memory,
      checks: this.checks,
      ledgerLog: this.ledgerLogFile ? summariseLog(this.ledgerLogFile) : null,
      error: this.error,
    };
  }
}
