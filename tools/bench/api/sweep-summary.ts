import { perUnitNumber } from '../harness/cost-table';
import { columns, number } from '../harness/report-format';
import { StepResult } from './step-figures';

const ratio = (value: number | null) => (value === null ? 'n/a' : number(value, 3));

/**
 * One line per rate: the rates as ratios to pgbench and what a payment cost, the figures every
 * change to the accept path is judged by.
 */
export function formatCostSummary(steps: StepResult[]): string {
  const processes = Object.keys(
    steps.find((step) => step.cost)?.cost?.perUnit.cpuMicroseconds ?? {},
  );
  const header = [
    'rate/s',
    'x pgbench',
    '201/s x pgbench',
    'commits',
    'statements',
    'rows',
    'WAL B',
    ...processes.map((name) => `${name} µs`),
    'CPU µs',
  ];
  const rows = steps.map((step) => {
    const perUnit = step.cost?.perUnit;
    return [
      number(step.intendedRatePerSecond),
      ratio(step.ratiosToPgbench.intendedRatePerSecond),
      ratio(step.ratiosToPgbench.confirmedPerSecond),
      perUnitNumber(perUnit?.postgresCommits ?? null),
      perUnitNumber(perUnit?.postgresStatements ?? null),
      perUnitNumber(perUnit?.rowsWritten ?? null),
      number(perUnit?.walBytes),
      ...processes.map((name) => number(perUnit?.cpuMicroseconds[name])),
      number(perUnit?.cpuMicrosecondsTotal),
    ];
  });
  return [
    'Cost per payment taken (201 or 202), from just before each load until its pipeline ' +
      'was empty',
    ...columns(header, rows),
  ].join('\n');
}
