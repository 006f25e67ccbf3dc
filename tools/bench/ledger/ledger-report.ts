import { formatCalibration, timesPgbench } from '../harness/calibration-table';
import { formatCostTable } from '../harness/cost-table';
import { CpuFigure } from '../harness/process-cpu';
import { formatMemory } from '../harness/process-memory';
import { Row, chunks, levelCounts, number, section, settingLines } from '../harness/report-format';
import { DrainFigures } from './drain-figures';
import { BenchResult } from './ledger-result';
import { rebalanceRows } from './rebalance';

const milliseconds = (seconds: number | null) =>
  seconds === null ? 'n/a' : `${number(seconds * 1_000, 1)} ms`;
const cpu = (figure: CpuFigure | null) => {
  if (figure === null) return 'n/a';
  const processes = figure.processes > 1 ? ` (${figure.processes} processes)` : '';
  const share = `${number(figure.percentOfOneCore, 0)}% of one core`;
  return `${number(figure.seconds, 1)} s CPU = ${share}${processes}`;
};

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
  if (result.rebalance) parts.push(section('Rebalance', rebalanceRows(result.rebalance)));
  if (result.cost) parts.push(formatCostTable(result.cost));
  parts.push(checksSection(result));
  if (result.error) parts.push(`error: ${result.error}`);
  return parts.join('\n\n');
}

function drainSection(drain: DrainFigures, result: BenchResult): string {
  return section('Drain (from the restarted ledger being ready until every transfer is terminal)', [
    ...drainWorkRows(drain, result.ratiosToPgbench, result.parameters.ledgers),
    ...drainResourceRows(drain, result),
  ]);
}

/** What the drain did: transfers, rates, commands, batches. */
function drainWorkRows(
  drain: DrainFigures,
  ratios: BenchResult['ratiosToPgbench'],
  ledgers: unknown,
): Row[] {
  const commit = drain.batchCommitSeconds;
  const byResult = drain.commandsByResult;
  return [
    ['elapsed', `${number(drain.seconds, 2)} s`],
    ['ledgers', `${ledgers} process(es) in one consumer group`],
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
  ];
}

/** What the drain used: connections, CPU, memory, WAL. */
function drainResourceRows(drain: DrainFigures, result: BenchResult): Row[] {
  const { ratiosToPgbench: ratios, memory } = result;
  const database = drain.database;
  const connections = Object.entries(drain.ledgerConnections.averageConnections).map(
    ([state, count]) => `${state} ${number(count, 2)}`,
  );
  return [
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
  ];
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
    ['ledger log', ledgerLog === null ? 'n/a' : levelCounts(ledgerLog.linesByLevel)],
  ];
  for (const sample of ledgerLog?.samples ?? []) rows.push(['', sample]);
  return section('Checks', rows);
}
