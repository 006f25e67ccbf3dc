import { DatabaseCounters, databaseFigures } from '../harness/database-counters';
import { round } from '../harness/machine-info';
import { Samples, bucketQuantile, histogramDelta, total } from '../harness/prometheus-metrics';
import type { StepResult } from './step-figures';

/** The ledger's batches over a step, from two scrapes of its metrics; null without them. */
export function ledgerFigures(start: Samples, end: Samples, seconds: number): StepResult['ledger'] {
  if (start.size === 0 || end.size === 0) return null;
  const delta = (name: string, labels: Record<string, string> = {}) =>
    total(end, name, labels) - total(start, name, labels);
  const commit = histogramDelta(start, end, 'ledger_batch_commit_seconds');
  const quantileMs = (q: number) => {
    const value = bucketQuantile(commit, q);
    return value === null ? null : round(value * 1_000, 1);
  };
  const batches = delta('ledger_batch_size_count');
  return {
    commandsPerSecond: round(delta('ledger_commands_total') / seconds, 1),
    averageBatchSize: batches > 0 ? round(delta('ledger_batch_size_sum') / batches, 1) : null,
    batchCommitMs: {
      p50: quantileMs(0.5),
      p99: quantileMs(0.99),
      method: 'bucket-interpolated (linear within prometheus buckets)',
    },
  };
}

/** PostgreSQL's commits and WAL over a step. */
export function stepDatabaseFigures(
  start: DatabaseCounters,
  end: DatabaseCounters,
  seconds: number,
): StepResult['database'] {
  const { commitsPerSecond, walMiB, walSyncs, walSyncMeanMs } = databaseFigures(
    start,
    end,
    seconds,
  );
  return { commitsPerSecond, walMiB, walSyncs, walSyncMeanMs };
}
