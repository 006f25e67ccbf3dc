import { CommandPosition } from '../harness/command-lag';
import { ConnectionStates } from '../harness/connection-states';
import { DatabaseFigures, databaseFigures } from '../harness/database-counters';
import { round } from '../harness/machine-info';
import { CpuFigure, cpuFigure } from '../harness/process-cpu';
import { Samples, bucketQuantile, histogramDelta, total } from '../harness/prometheus-metrics';
import { Snapshot } from './drain-snapshot';
import { TransferOutcomes } from './ledger-outcomes';
import { DrainStatus } from './wait-for-ledger';

export interface DrainFigures {
  status: DrainStatus;
  seconds: number;
  /** Commands the ledger processed between its readiness and the end (offsets moved). */
  commands: number;
  /** Commands it processed after its restart but before /health/ready answered. */
  commandsBeforeReady: number;
  transfersPreloaded: number;
  /** First legs processed (debited or rejected). */
  transfersDebited: number;
  transfersTerminal: number;
  transfersCompleted: number;
  transfersRejected: number;
  rejectionCodes: Record<string, number>;
  transfersRefunded: number;
  transfersPerSecond: number;
  commandsPerSecond: number;
  batches: number;
  averageBatchSize: number | null;
  batchCommitSeconds: {
    method: string;
    p50: number | null;
    p95: number | null;
    p99: number | null;
    mean: number | null;
  };
  /** Sum of batch commit times over the elapsed time: batches deciding or committing at once. */
  batchesInCommitAverage: number;
  ledgerConnections: ConnectionStates;
  commandsByResult: { applied: number; duplicate: number; dead_letter: number };
  cpu: {
    ledger: CpuFigure | null;
    postgres: CpuFigure | null;
    kafka: CpuFigure | null;
    bench: CpuFigure | null;
  };
  database: DatabaseFigures;
}

/** The drain's figures from two snapshots of the same ledger process and the final outcomes. */
export function drainFigures(input: {
  status: DrainStatus;
  transfers: number;
  beforeRestart: CommandPosition;
  start: Snapshot;
  end: Snapshot;
  outcomes: TransferOutcomes;
  connectionStates: ConnectionStates;
}): DrainFigures {
  const { start, end, outcomes, transfers } = input;
  const seconds = (end.at - start.at) / 1_000;
  const commands = Number(end.position.consumed - start.position.consumed);
  const commandsBeforeReady = Number(start.position.consumed - input.beforeRestart.consumed);
  const completed = outcomes.credits - outcomes.creditsRefused;
  const terminal = outcomes.rejected + completed + outcomes.refunds;
  // Scaled by the share of the drain's commands seen after readiness, so that work done before
  // /health/ready answered is not credited to the measured window.
  const drained = commands + commandsBeforeReady;
  const windowShare = drained > 0 ? commands / drained : 0;
  return {
    status: input.status,
    seconds: round(seconds, 3),
    commands,
    commandsBeforeReady,
    transfersPreloaded: transfers,
    transfersDebited: outcomes.debits,
    transfersTerminal: terminal,
    transfersCompleted: completed,
    transfersRejected: outcomes.rejected,
    rejectionCodes: outcomes.rejectionCodes,
    transfersRefunded: outcomes.refunds,
    transfersPerSecond: round((terminal * windowShare) / seconds, 1),
    commandsPerSecond: round(commands / seconds, 1),
    ...batchFigures(start.metrics, end.metrics, seconds),
    ledgerConnections: input.connectionStates,
    commandsByResult: commandsByResult(start.metrics, end.metrics),
    cpu: {
      ledger: cpuFigure(start.cpu.ledger, end.cpu.ledger, seconds),
      postgres: cpuFigure(start.cpu.postgres, end.cpu.postgres, seconds),
      kafka: cpuFigure(start.cpu.kafka, end.cpu.kafka, seconds),
      bench: cpuFigure(start.cpu.bench, end.cpu.bench, seconds),
    },
    database: databaseFigures(start.database, end.database, seconds),
  };
}

const metricDelta =
  (start: Samples, end: Samples) =>
  (name: string, labels = {}) =>
    total(end, name, labels) - total(start, name, labels);

/** The ledger's batches over the drain, from two scrapes of its metrics. */
function batchFigures(
  start: Samples,
  end: Samples,
  seconds: number,
): Pick<
  DrainFigures,
  'batches' | 'averageBatchSize' | 'batchCommitSeconds' | 'batchesInCommitAverage'
> {
  const delta = metricDelta(start, end);
  const commit = histogramDelta(start, end, 'ledger_batch_commit_seconds');
  const batchCount = delta('ledger_batch_size_count');
  const quantile = (q: number) => {
    const value = bucketQuantile(commit, q);
    return value === null ? null : round(value, 4);
  };
  return {
    batches: commit.count,
    averageBatchSize: batchCount > 0 ? round(delta('ledger_batch_size_sum') / batchCount, 1) : null,
    batchCommitSeconds: {
      method: 'bucket-interpolated (linear within prometheus buckets)',
      p50: quantile(0.5),
      p95: quantile(0.95),
      p99: quantile(0.99),
      mean: commit.count > 0 ? round(commit.sum / commit.count, 4) : null,
    },
    batchesInCommitAverage: round(commit.sum / seconds, 2),
  };
}

function commandsByResult(start: Samples, end: Samples): DrainFigures['commandsByResult'] {
  const delta = metricDelta(start, end);
  return {
    applied: delta('ledger_commands_total', { result: 'applied' }),
    duplicate: delta('ledger_commands_total', { result: 'duplicate' }),
    dead_letter: delta('ledger_commands_total', { result: 'dead_letter' }),
  };
}
