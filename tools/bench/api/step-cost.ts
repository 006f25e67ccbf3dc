import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { CostTable, costTable } from '../harness/cost-table';
import { Calibration, ratioToPgbench } from '../harness/pgbench-calibration';
import { OpenLoopLoad } from './open-loop-load';
import type { StepSnapshot } from './step-figures';

/** A backend reports its statistics at most once a second (PostgreSQL 15's pgstat). */
const STATISTICS_FLUSH_MS = 1_100;

/** Until PostgreSQL's counters include what the step's last requests did. */
export async function waitForStatistics(loadEndedAt: number, signal: AbortSignal): Promise<void> {
  const waitMs = STATISTICS_FLUSH_MS - (performance.now() - loadEndedAt);
  if (waitMs > 0) await sleep(waitMs, undefined, { signal });
}

/**
 * Per payment the gateway took (201 or 202), from just before the load until the pipeline was
 * empty after it: the ledger's legs and the projection of the last payments belong to them too.
 */
export function stepCost(input: {
  load: OpenLoopLoad;
  before: StepSnapshot;
  end: StepSnapshot;
  statementsUnavailable: string | null;
}): CostTable {
  const { load, before, end } = input;
  const sample = (snapshot: StepSnapshot) => ({
    at: snapshot.cpu.at,
    cpu: { ...snapshot.cpu.samples },
    database: snapshot.database,
    statements: snapshot.statements,
  });
  return costTable({
    unit: 'payment',
    units: load.counts.completed + load.counts.rejected + load.counts.accepted,
    window: 'from just before the load until the pipeline was empty after it, and 1 s more',
    before: sample(before),
    after: sample(end),
    statementsUnavailable: input.statementsUnavailable,
  });
}

/** The step's throughput figures divided by pgbench's tps. */
export function stepRatios(
  calibration: Calibration | null,
  figures: {
    intendedRatePerSecond: number;
    answersPerSecond: number;
    confirmedPerSecond: number;
    ledgerCommandsPerSecond: number | null;
    postgresCommitsPerSecond: number;
  },
): Record<keyof typeof figures, number | null> {
  const ratio = (value: number | null) => ratioToPgbench(calibration, value);
  return {
    intendedRatePerSecond: ratio(figures.intendedRatePerSecond),
    answersPerSecond: ratio(figures.answersPerSecond),
    confirmedPerSecond: ratio(figures.confirmedPerSecond),
    ledgerCommandsPerSecond: ratio(figures.ledgerCommandsPerSecond),
    postgresCommitsPerSecond: ratio(figures.postgresCommitsPerSecond),
  };
}
