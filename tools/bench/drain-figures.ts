import { CommandPosition } from './command-lag';
import { ConnectionStates } from './connection-states';
import { TransferOutcomes } from './ledger-database';
import { round } from './machine-info';
import { CpuSample } from './process-cpu';
import { bucketQuantile, histogramDelta, total } from './prometheus-metrics';
import { Snapshot } from './snapshot';
import { DrainStatus } from './wait-for-ledger';

export interface CpuFigure {
  seconds: number;
  percentOfOneCore: number;
  processes: number;
}

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
  database: {
    /** Transactions committed in the database, read-only ones (the benchmark's polls) included. */
    commits: number;
    commitsPerSecond: number;
    walMiB: number;
    checkpoints: number;
    walSyncs: number | null;
    walSyncMeanMs: number | null;
    walSyncBusyPercent: number | null;
  };
}

function cpuFigure(
  start: CpuSample | null,
  end: CpuSample | null,
  seconds: number,
): CpuFigure | null {
  if (!start || !end || start.processes === 0 || end.processes === 0) return null;
  const used = end.seconds - start.seconds;
  return {
    seconds: round(used, 2),
    percentOfOneCore: round((used / seconds) * 100, 1),
    processes: end.processes,
  };
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
  const delta = (name: string, labels: Record<string, string> = {}) =>
    total(end.metrics, name, labels) - total(start.metrics, name, labels);
  const commit = histogramDelta(start.metrics, end.metrics, 'ledger_batch_commit_seconds');
  const batchCount = delta('ledger_batch_size_count');
  const quantile = (q: number) => {
    const value = bucketQuantile(commit, q);
    return value === null ? null : round(value, 4);
  };
  const syncs = nullableDelta(start.database.walSyncs, end.database.walSyncs);
  const syncMs = nullableDelta(start.database.walSyncMs, end.database.walSyncMs);
  const commits = end.database.commits - start.database.commits;
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
    ledgerConnections: input.connectionStates,
    commandsByResult: {
      applied: delta('ledger_commands_total', { result: 'applied' }),
      duplicate: delta('ledger_commands_total', { result: 'duplicate' }),
      dead_letter: delta('ledger_commands_total', { result: 'dead_letter' }),
    },
    cpu: {
      ledger: cpuFigure(start.cpu.ledger, end.cpu.ledger, seconds),
      postgres: cpuFigure(start.cpu.postgres, end.cpu.postgres, seconds),
      kafka: cpuFigure(start.cpu.kafka, end.cpu.kafka, seconds),
      bench: cpuFigure(start.cpu.bench, end.cpu.bench, seconds),
    },
    database: {
      commits,
      commitsPerSecond: round(commits / seconds, 1),
      checkpoints: end.database.checkpoints - start.database.checkpoints,
      walMiB: round((end.database.walBytes - start.database.walBytes) / 2 ** 20, 1),
      walSyncs: syncs,
      walSyncMeanMs: syncs && syncMs !== null ? round(syncMs / syncs, 3) : null,
      walSyncBusyPercent: syncMs === null ? null : round((syncMs / (seconds * 1_000)) * 100, 1),
    },
  };
}

function nullableDelta(start: number | null, end: number | null): number | null {
  return start === null || end === null ? null : end - start;
}
