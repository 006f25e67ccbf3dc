import { CostTable } from '../harness/cost-table';
import { ProcessMemory } from '../harness/process-memory';
import { RunResult } from '../harness/run-record';
import { LogSummary } from '../harness/service-log';
import { DrainFigures } from './drain-figures';
import { MoneyCheck } from './ledger-outcomes';
import { RebalanceFigures } from './rebalance';

/** The figures of one run, as printed and as written to results/ledger-bench-<time>.json. */
export interface BenchResult extends RunResult<
  'ledger',
  'completed' | 'timeout' | 'ledger_exited' | 'failed'
> {
  /** Each throughput figure divided by pgbench's tps (null without a calibration). */
  ratiosToPgbench: Record<string, number | null>;
  drain: DrainFigures | null;
  /** Per command, over the drain (and the publication of its events). */
  cost: CostTable | null;
  /** With --rebalance-at-s: the drain rate around a ledger starting or stopping. */
  rebalance: RebalanceFigures | null;
  /** The ledger's resident memory: the process that seeded, and the one that drained. */
  memory: { seedingLedger: ProcessMemory | null; drainingLedger: ProcessMemory | null };
  checks: {
    stableForOneSecondAfterDrain: boolean | null;
    outboxPublishedSecondsAfterDrain: number | null;
    money: (MoneyCheck & { plannedDepositsMinor: string; conserved: boolean }) | null;
  };
  ledgerLog: LogSummary | null;
}

/** results/ledger-bench-<time>.json, and the ledger's log beside it after a failure. */
export const RESULTS_PREFIX = 'ledger-bench';
