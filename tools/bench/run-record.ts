import { BenchConfig } from './bench-config';
import { BenchResult } from './bench-report';
import { DrainFigures } from './drain-figures';
import { summariseLog } from './ledger-log';
import { machineInfo, round } from './machine-info';
import {
  TRANSFER_AMOUNT_MINOR_MAX, TRANSFER_AMOUNT_MINOR_MIN, WorkloadPlan,
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
  drain: DrainFigures | null = null;
  checks: BenchResult['checks'] = {
    stableForOneSecondAfterDrain: null, outboxPublishedSecondsAfterDrain: null, money: null,
  };
  ledgerLogFile: string | null = null;
  error: string | null = null;

  constructor(private readonly config: BenchConfig) {}

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
        infrastructure: {
          postgres: config.databaseUrl ? 'given (DATABASE_URL)' : 'started by the benchmark',
          kafka: config.kafkaBrokers ? 'given (KAFKA_BROKERS)' : 'started by the benchmark',
        },
        ledgerSettings: config.ledgerSettings,
      },
      machine: this.machine,
      versions: this.versions,
      postgresSettings: this.postgresSettings,
      phases: Object.fromEntries(Object.entries(this.phases)
        .map(([name, value]) => [name, value === null ? null : round(value, 3)])),
      drain: this.drain,
      checks: this.checks,
      ledgerLog: this.ledgerLogFile ? summariseLog(this.ledgerLogFile) : null,
      error: this.error,
    };
  }
}
