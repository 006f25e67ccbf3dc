import { CostTable } from '../harness/cost-table';
import { ratioToPgbench } from '../harness/pgbench-calibration';
import { RunRecord, infrastructureParameters } from '../harness/run-record';
import { summariseLog } from '../harness/service-log';
import { DrainFigures } from './drain-figures';
import { BenchConfig } from './ledger-bench-config';
import { BenchResult } from './ledger-result';
import { RebalanceFigures } from './rebalance';
import {
  TRANSFER_AMOUNT_MINOR_MAX,
  TRANSFER_AMOUNT_MINOR_MIN,
  WorkloadPlan,
} from './workload-plan';

/** What a ledger run has learnt so far: the harness's record plus the drain and its checks. */
export class LedgerRunRecord extends RunRecord<BenchResult['status']> {
  plan: WorkloadPlan | null = null;
  drain: DrainFigures | null = null;
  cost: CostTable | null = null;
  rebalance: RebalanceFigures | null = null;
  memory: BenchResult['memory'] = { seedingLedger: null, drainingLedger: null };
  checks: BenchResult['checks'] = {
    stableForOneSecondAfterDrain: null,
    outboxPublishedSecondsAfterDrain: null,
    money: null,
  };
  ledgerLogFile: string | null = null;

  constructor(private readonly config: BenchConfig) {
    super('failed', { kafkajs: 'kafkajs' });
  }

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

  private parameters(): BenchResult['parameters'] {
    const config = this.config;
    return {
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
      ledgers: config.ledgers,
      rebalanceAtSeconds: config.rebalanceAtS ?? null,
      infrastructure: infrastructureParameters(config),
      ledgerSettings: config.ledgerSettings,
    };
  }

  /** Call once the ledger has stopped, so that its log is complete. */
  toResult(): BenchResult {
    return {
      benchmark: 'ledger',
      status: this.status,
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      parameters: this.parameters(),
      machine: this.machine,
      versions: this.versions,
      postgresSettings: this.postgresSettings,
      phases: this.roundedPhases(),
      calibration: this.calibration,
      ratiosToPgbench: this.ratios(),
      drain: this.drain,
      cost: this.cost,
      rebalance: this.rebalance,
      memory: this.memory,
      checks: this.checks,
      ledgerLog: this.ledgerLogFile ? summariseLog(this.ledgerLogFile) : null,
      error: this.error,
    };
  }
}
