import { BenchResult } from './bench-report';
import { formatCalibration, timesPgbench } from './calibration-table';
import { formatCostTable } from './cost-table';
import { CpuFigure, DrainFigures } from './drain-figures';
import { formatMemory } from './process-memory';

/** A row's value: one line, or several printed under each other. */
type Row = [string, string | string[]];

export const number = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined
    ? 'n/a'
    : value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
const milliseconds = (seconds: number | null) =>
  seconds === null ? 'n/a' : `${number(seconds * 1_000, 1)} ms`;
const cpu = (figure: CpuFigure | null) => {
  if (figure === null) return 'n/a';
  const processes = figure.processes > 1 ? ` (${figure.processes} processes)` : '';
  const share = `${number(figure.percentOfOneCore, 0)}% of one core`;
  return `${number(figure.seconds, 1)} s CPU = ${share}${processes}`;
};

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, index * size + size),
  );
}

/** `NAME=value` pairs, a few to a line. */
export function settingLines(values: Record<string, string>, perLine = 2): string[] {
  return chunks(
    Object.entries(values).map(([name, value]) => `${name}=${value}`),
    perLine,
  ).map((group) => group.join(' '));
}

/** A titled block of `name  value` rows. */
export function section(title: string, rows: Row[]): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = [title];
  for (const [name, value] of rows) {
    const [first, ...rest] = Array.isArray(value) ? value : [value];
    lines.push(`  ${name.padEnd(width)}  ${first}`);
    for (const line of rest) lines.push(`  ${''.padEnd(width)}  ${line}`);
  }
  return lines.join('\n');
}

/** The run as a readable table; the JSON file has the same figures. */
export function formatResult(result: BenchResult): string {
  const { parameters, machine, postgresSettings: settings } = result;
  const parts = [
    section('Ledger benchmark', [
      ['status', result.status],
      [
        'workload',
        [
          `${number(parameters.transfers as number)} transfers between ` +
            `${number(parameters.accounts as number)} EUR accounts (${parameters.hotAccounts} hot),`,
          `${number(parameters.hotTransfers as number)} transfers to or from a hot account`,
        ],
      ],
      [
        'machine',
        `${machine.nproc} CPUs (${machine.cpuModel}), ${machine.memoryTotalGiB} GiB, ` +
          `load ${machine.loadAverage1m} at start`,
      ],
      ['versions', Object.entries(result.versions).map(([name, version]) => `${name} ${version}`)],
      [
        'postgres',
        `fsync=${settings.fsync} synchronous_commit=${settings.synchronous_commit} ` +
          `wal_sync_method=${settings.wal_sync_method} max_wal_size=${settings.max_wal_size}`,
      ],
      ['ledger settings', settingLines(parameters.ledgerSettings as Record<string, string>)],
    ]),
  ];
  parts.push(formatCalibration(result.calibration));
  if (result.drain) parts.push(drainSection(result.drain, result));
  if (result.cost) parts.push(formatCostTable(result.cost));
  parts.push(checksSection(result));
  if (result.error) parts.push(`error: ${result.error}`);
  return parts.join('\n\n');
}

function drainSection(drain: DrainFigures, result: BenchResult): string {
  const { ratiosToPgbench: ratios, memory } = result;
  const commit = drain.batchCommitSeconds;
  const byResult = drain.commandsByResult;
  const database = drain.database;
  const connections = Object.entries(drain.ledgerConnections.averageConnections).map(
    ([state, count]) => `${state} ${number(count, 2)}`,
  );
  return section('Drain (from the restarted ledger being ready until every transfer is terminal)', [
    ['elapsed', `${number(drain.seconds, 2)} s`],
    [
      'transfers',
      [
        `${number(drain.transfersTerminal)} terminal of ${number(drain.transfersPreloaded)} ` +
          `(${number(drain.transfersDebited)} first legs processed):`,
        `${number(drain.transfersCompleted)} completed, ` +
          `${number(drain.transfersRejected)} rejected, ${number(drain.transfersRefunded)} refunded`,
      ],
    ],
    [
      'throughput',
      [
        `${number(drain.transfersPerSecond, 0)} transfers/s (both legs)` +
          `${timesPgbench(ratios.drainTransfersPerSecond)},`,
        `${number(drain.commandsPerSecond, 0)} commands/s` +
          timesPgbench(ratios.drainCommandsPerSecond),
      ],
    ],
    [
      'commands',
      [
        `${number(drain.commands)} after ready (+${number(drain.commandsBeforeReady)} before);`,
        `applied ${number(byResult.applied)}, duplicate ${number(byResult.duplicate)}, ` +
          `dead letters ${number(byResult.dead_letter)}`,
      ],
    ],
    ['batches', `${number(drain.batches)}, average size ${number(drain.averageBatchSize, 1)}`],
    [
      'batch commit',
      [
        `p50 ${milliseconds(commit.p50)}, p95 ${milliseconds(commit.p95)}, ` +
          `p99 ${milliseconds(commit.p99)} (bucket-interpolated)`,
        `mean ${milliseconds(commit.mean)}; ${number(drain.batchesInCommitAverage, 2)} batches in ` +
          'decide+commit at once on average',
      ],
    ],
    [
      'ledger db conns',
      [
        `average connections per state (${drain.ledgerConnections.samples} samples of ` +
          'pg_stat_activity):',
        ...chunks(connections, 3).map((group) => group.join(', ')),
      ],
    ],
    ['cpu ledger', cpu(drain.cpu.ledger)],
    ['cpu postgres', cpu(drain.cpu.postgres)],
    ['cpu kafka', cpu(drain.cpu.kafka)],
    ['cpu benchmark', cpu(drain.cpu.bench)],
    [
      'ledger memory',
      [
        `seeding: ${formatMemory(memory.seedingLedger)}`,
        `draining: ${formatMemory(memory.drainingLedger)}`,
      ],
    ],
    [
      'postgres WAL',
      [
        `${number(database.walMiB, 1)} MiB, ${number(database.walSyncs)} fsyncs averaging ` +
          `${number(database.walSyncMeanMs, 2)} ms ` +
          `(${number(database.walSyncBusyPercent, 0)}% of the time)`,
        `${database.checkpoints} checkpoints, ${number(database.commits)} transactions ` +
          `(${number(database.commitsPerSecond, 0)}/s` +
          `${timesPgbench(ratios.postgresCommitsPerSecond)}, read-only included)`,
      ],
    ],
  ]);
}

function checksSection(result: BenchResult): string {
  const { checks, ledgerLog } = result;
  const money = checks.money;
  const stable = checks.stableForOneSecondAfterDrain;
  const rows: Row[] = [
    [
      'stable after',
      stable === null
        ? 'n/a'
        : stable
          ? 'yes (no offset moved for 1 s)'
          : 'NO: offsets moved after the drain',
    ],
    [
      'outbox published',
      checks.outboxPublishedSecondsAfterDrain === null
        ? 'n/a'
        : `${number(checks.outboxPublishedSecondsAfterDrain, 2)} s after the drain`,
    ],
    [
      'money',
      money === null
        ? 'n/a'
        : [
            `${money.conserved ? 'conserved' : 'NOT CONSERVED'}: the run's accounts hold ` +
              `${money.runCustomerTotalMinor} of ${money.plannedDepositsMinor} deposited,`,
            `${money.runNegativeAccounts} negative; ` +
              `EUR transit accounts total ${money.transitTotalMinor}`,
          ],
    ],
    [
      'ledger log',
      ledgerLog === null
        ? 'n/a'
        : Object.entries(ledgerLog.linesByLevel)
            .map(([level, count]) => `${count} ${level}`)
            .join(', ') || 'empty',
    ],
  ];
  for (const sample of ledgerLog?.samples ?? []) rows.push(['', sample]);
  return section('Checks', rows);
}
