import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CostTable } from './cost-table';
import { DrainFigures } from './drain-figures';
import { LogSummary } from './ledger-log';
import { MoneyCheck } from './ledger-database';
import { MachineInfo } from './machine-info';
import { Calibration } from './pgbench-calibration';
import { ProcessMemory } from './process-memory';

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

/** ISO 8601 basic format (no colons), safe in a file name: 20250102T030405Z. */
export function fileTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function resultsFile(repoRoot: string, startedAt: Date, extension: string): string {
  const directory = join(repoRoot, 'results');
  mkdirSync(directory, { recursive: true });
  return join(directory, `ledger-bench-${fileTimestamp(startedAt)}.${extension}`);
}

export function writeResult(repoRoot: string, result: BenchResult, startedAt: Date): string {
  const file = resultsFile(repoRoot, startedAt, 'json');
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** The temporary folder goes away: after a failure, keep the ledger's log beside the results. */
export function keepLedgerLog(repoRoot: string, logFile: string, startedAt: Date): string | null {
  if (!existsSync(logFile)) return null;
  const file = resultsFile(repoRoot, startedAt, 'ledger.log');
  copyFileSync(logFile, file);
  return file;
}
