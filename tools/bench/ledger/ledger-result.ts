import { CostTable } from '../harness/cost-table';
import { MachineInfo } from '../harness/machine-info';
import { Calibration } from '../harness/pgbench-calibration';
import { ProcessMemory } from '../harness/process-memory';
import { LogSummary } from '../harness/service-log';
import { DrainFigures } from './drain-figures';
import { MoneyCheck } from './ledger-outcomes';

/** The figures of one run, as printed and as written to results/ledger-bench-<time>.json. */
export interface BenchResult {
  benchmark: 'ledger';
  status: 'completed' | 'timeout' | 'ledger_exited' | 'failed';
  startedAt: string;
  finishedAt: string;
  parameters: Record<string, unknown>;
  machine: MachineInfo;
  versions: Record<string, string>;
  postgresSettings: Record<string, string>;
  phases: Record<string, number | null>;
  /** pgbench TPC-B on the same PostgreSQL before the load: the yardstick of every rate. */
  calibration: Calibration | null;
  /** Each throughput figure divided by pgbench's tps (null without a calibration). */
  ratiosToPgbench: Record<string, number | null>;
  drain: DrainFigures | null;
  /** Per command, over the drain (and the publication of its events). */
  cost: CostTable | null;
  /** The ledger's resident memory: the process that seeded, and the one that drained. */
  memory: { seedingLedger: ProcessMemory | null; drainingLedger: ProcessMemory | null };
  checks: {
    stableForOneSecondAfterDrain: boolean | null;
    outboxPublishedSecondsAfterDrain: number | null;
    money: (MoneyCheck & { plannedDepositsMinor: string; conserved: boolean }) | null;
  };
  ledgerLog: LogSummary | null;
  error: string | null;
}

/** results/ledger-bench-<time>.json, and the ledger's log beside it after a failure. */
export const RESULTS_PREFIX = 'ledger-bench';
