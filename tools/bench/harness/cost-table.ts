import { DatabaseCounters } from './database-counters';
import { round } from './machine-info';
import { CpuSample } from './process-cpu';
import { number, section } from './report-format';
import { StatementCost, StatementCount, statementBreakdown } from './statement-counter';

/** Statements listed in the JSON, by calls; the printed table shows the first STATEMENTS_PRINTED. */
const STATEMENTS_LISTED = 20;
const STATEMENTS_PRINTED = 10;

/** What the cost table compares at the start and at the end of its window. */
export interface CostSample {
  /** performance.now() when the CPU times were read. */
  at: number;
  /** CPU of each observed process (null: not on this machine or not found). */
  cpu: Record<string, CpuSample | null>;
  database: DatabaseCounters;
  statements: StatementCount | null;
}

/** What one unit of work (a ledger command, an accepted payment) cost, over a measured window. */
export interface CostTable {
  unit: string;
  units: number;
  windowSeconds: number;
  /** From when until when, in words. */
  window: string;
  perUnit: {
    postgresCommits: number | null;
    postgresStatements: number | null;
    rowsWritten: number | null;
    walBytes: number | null;
    cpuMicroseconds: Record<string, number | null>;
    cpuMicrosecondsTotal: number | null;
  };
  totals: {
    postgresCommits: number;
    postgresStatements: number | null;
    rowsWritten: number;
    walBytes: number;
    cpuSeconds: Record<string, number | null>;
    /** The benchmark's own queries in the window, taken out of commits and statements. */
    benchmarkQueriesExcluded: number;
  };
  /**
   * The statements run most in the window (the benchmark's own included, which are few), with
   * calls per unit and execution time: where the database's share of a unit goes.
   */
  statements: StatementCost[];
  notes: string[];
}

/** The deltas between two samples, divided by the units of work done in between. */
export function costTable(input: {
  unit: string;
  units: number;
  window: string;
  before: CostSample;
  after: CostSample;
  statementsUnavailable: string | null;
}): CostTable {
  const { before, after, units } = input;
  const benchQueries = after.database.benchQueries - before.database.benchQueries;
  const commits = after.database.commits - before.database.commits - benchQueries;
  const statements =
    before.statements && after.statements
      ? after.statements.calls - before.statements.calls - benchQueries
      : null;
  const rowsWritten = after.database.rowsWritten - before.database.rowsWritten;
  const walBytes = after.database.walPositionBytes - before.database.walPositionBytes;
  const cpuSeconds: Record<string, number | null> = {};
  for (const [name, end] of Object.entries(after.cpu)) {
    const start = before.cpu[name];
    cpuSeconds[name] =
      start && end && start.processes > 0 && end.processes > 0
        ? round(end.seconds - start.seconds, 3)
        : null;
  }
  const per = (total: number | null, digits: number) =>
    total === null || units <= 0 ? null : round(total / units, digits);
  const cpuMicroseconds = Object.fromEntries(
    Object.entries(cpuSeconds).map(([name, seconds]) => [
      name,
      per(seconds === null ? null : seconds * 1e6, 0),
    ]),
  );
  const measured = Object.values(cpuSeconds).filter((seconds) => seconds !== null);
  return {
    unit: input.unit,
    units,
    windowSeconds: round((after.at - before.at) / 1_000, 3),
    window: input.window,
    perUnit: {
      postgresCommits: per(commits, 4),
      postgresStatements: per(statements, 4),
      rowsWritten: per(rowsWritten, 2),
      walBytes: per(walBytes, 0),
      cpuMicroseconds,
      cpuMicrosecondsTotal: per(
        measured.reduce((sum, seconds) => sum + seconds * 1e6, 0),
        0,
      ),
    },
    totals: {
      postgresCommits: commits,
      postgresStatements: statements,
      rowsWritten,
      walBytes,
      cpuSeconds,
      benchmarkQueriesExcluded: benchQueries,
    },
    statements:
      before.statements && after.statements
        ? statementBreakdown(before.statements, after.statements, units, STATEMENTS_LISTED)
        : [],
    notes: costNotes(input),
  };
}

function costNotes(input: Parameters<typeof costTable>[0]): string[] {
  const notes = [
    'commits and rows: pg_stat_database, which each backend updates at most once a second',
  ];
  if (input.statementsUnavailable) notes.push(input.statementsUnavailable);
  const evicted =
    input.before.statements && input.after.statements
      ? input.after.statements.deallocations - input.before.statements.deallocations
      : 0;
  if (evicted > 0) {
    notes.push(
      `pg_stat_statements evicted entries ${evicted} times in the window: ` +
        'the statement count is a lower bound',
    );
  }
  return notes;
}

/** Enough digits to compare runs: 0.0123, 1.23, 12.3, 1,234. */
export function perUnitNumber(value: number | null): string {
  if (value === null) return 'n/a';
  const size = Math.abs(value);
  return number(value, size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 2 : 4);
}

/** The table as printed: one row per resource, the totals beside it. */
export function formatCostTable(cost: CostTable): string {
  const { perUnit, totals } = cost;
  const cpu = Object.entries(perUnit.cpuMicroseconds)
    .map(([name, microseconds]) => `${name} ${number(microseconds)}`)
    .join(', ');
  return section(
    `Cost per ${cost.unit} (${number(cost.units)} ${cost.unit}s in ` +
      `${number(cost.windowSeconds, 1)} s)`,
    [
      ['window', cost.window],
      [
        'postgres commits',
        `${perUnitNumber(perUnit.postgresCommits)}  ` +
          `(${number(totals.postgresCommits)} in the window; the benchmark's own ` +
          `${number(totals.benchmarkQueriesExcluded)} queries taken out)`,
      ],
      [
        'statements',
        perUnit.postgresStatements === null
          ? 'n/a (see the notes)'
          : `${perUnitNumber(perUnit.postgresStatements)}  (pg_stat_statements, BEGIN and COMMIT ` +
            'included)',
      ],
      ['rows written', `${perUnitNumber(perUnit.rowsWritten)}  (inserted + updated + deleted)`],
      [
        'WAL bytes',
        `${number(perUnit.walBytes)}  (${number(totals.walBytes / 2 ** 20, 1)} MiB ` +
          'in the window, cluster-wide)',
      ],
      ['CPU µs', `${cpu}; total ${number(perUnit.cpuMicrosecondsTotal)}`],
      ...cost.notes.map((note, index): [string, string] => [index === 0 ? 'notes' : '', note]),
      ...cost.statements
        .slice(0, STATEMENTS_PRINTED)
        .map((statement, index): [string, string] => [
          index === 0 ? 'top statements' : '',
          `${perUnitNumber(statement.callsPerUnit)} calls, ${number(statement.meanMs, 3)} ms, ` +
            `${statement.rowsPerCall} rows/call: ${statement.text.slice(0, 90)}`,
        ]),
    ],
  );
}
