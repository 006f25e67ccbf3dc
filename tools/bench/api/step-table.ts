import { timesPgbench } from '../harness/calibration-table';
import { formatCostTable } from '../harness/cost-table';
import { CpuFigure } from '../harness/process-cpu';
import { Row, columns, number, section } from '../harness/report-format';
import { LatencySummary } from './latency-recorder';
import { PipelineBacklog } from './pipeline-probe';
import { PROCESS_NAMES } from './process-usage';
import { StepResult } from './step-figures';

const ms = (value: number | null) => (value === null ? 'inf' : number(value, 1));
const counts = (values: Record<string, number>) =>
  Object.entries(values)
    .map(([code, count]) => `${code} ${number(count)}`)
    .join(', ') || 'none';
const percent = (figure: CpuFigure | null) =>
  figure === null ? 'n/a' : `${number(figure.percentOfOneCore, 0)}%`;

function latencyRow(
  summary: Pick<LatencySummary, 'p50' | 'p95' | 'p99' | 'p999'> & Partial<LatencySummary>,
): string {
  const max = summary.max === undefined ? '' : ` max ${ms(summary.max)}`;
  return (
    `p50 ${ms(summary.p50)}  p95 ${ms(summary.p95)}  p99 ${ms(summary.p99)}  ` +
    `p99.9 ${ms(summary.p999)}${max}`
  );
}

function backlogRow(backlog: PipelineBacklog | null): string {
  if (backlog === null) return 'n/a';
  return (
    `gateway outbox ${number(backlog.gatewayOutbox)}, ledger commands ` +
    `${number(backlog.ledgerCommandLag)}, ledger outbox ${number(backlog.ledgerOutbox)}, ` +
    `projection ${number(backlog.projectionLag)}`
  );
}

export function formatStep(step: StepResult, cpus: number): string {
  const title =
    `Rate ${number(step.intendedRatePerSecond)}/s for ${step.durationSeconds} s ` +
    `(${step.status})`;
  const table = section(title, [...requestRows(step), ...serviceRows(step, cpus)]);
  return step.cost
    ? `${table}
${formatCostTable(step.cost)}`
    : table;
}

/** What the load sent and what came back, and how fast. */
function requestRows(step: StepResult): Row[] {
  const { counts: outcome, latencyMs: latency } = step;
  const ratios = step.ratiosToPgbench;
  return [
    [
      'requests',
      `${number(step.planned)} planned, ${number(step.sent)} sent, ` +
        `${number(outcome.dropped)} dropped; peak outstanding ` +
        `${number(step.generator.outstandingPeak)}`,
    ],
    [
      'offered',
      `${number(step.intendedRatePerSecond)}/s` + timesPgbench(ratios.intendedRatePerSecond),
    ],
    [
      'achieved',
      [
        `${number(step.answersPerSecond, 1)} answers/s${timesPgbench(ratios.answersPerSecond)}, ` +
          `${number(step.confirmedPerSecond, 1)} 201/s${timesPgbench(ratios.confirmedPerSecond)}`,
        `over ${number(step.elapsedSeconds, 2)} s (first intended send to last answer)`,
      ],
    ],
    [
      'status counts',
      [
        `201 completed ${number(outcome.completed)}, 201 rejected ${number(outcome.rejected)}, ` +
          `202 ${number(outcome.accepted)}, 4xx ${number(outcome.clientErrors)}, ` +
          `5xx ${number(outcome.serverErrors)},`,
        `network errors ${number(outcome.networkErrors)}, dropped ${number(outcome.dropped)}, ` +
          `other ${number(outcome.otherStatuses)}`,
      ],
    ],
    [
      'details',
      [
        `rejections: ${counts(step.details.failureCodes)}; ` +
          `problems: ${counts(step.details.problems)}`,
        `network errors: ${counts(step.details.networkErrors)}`,
      ],
    ],
    [
      'latency ms',
      [
        `all requests  ${latencyRow(latency.allRequests)}  (no 201 = inf)`,
        `201 answers   ${latencyRow(latency.confirmed)}`,
        `all answers   ${latencyRow(latency.answered)}`,
      ],
    ],
  ];
}

/** The generator's health, the processes' CPU, the ledger, PostgreSQL and the pipeline. */
function serviceRows(step: StepResult, cpus: number): Row[] {
  const cpu = PROCESS_NAMES.map((name) => `${name} ${percent(step.cpu[name])}`).join(', ');
  const ledger = step.ledger;
  const database = step.database;
  const empty = step.backlog.emptySecondsAfterLoad;
  return [
    [
      'generator',
      `send lag behind schedule p99 ${ms(step.generator.sendLagMs.p99)} ms, max ` +
        `${ms(step.generator.sendLagMs.max)} ms (${step.generator.connections} connections)`,
    ],
    ['cpu', `${cpu} (% of one core; ${cpus * 100}% available)`],
    [
      'ledger',
      ledger === null
        ? 'n/a'
        : `${number(ledger.commandsPerSecond, 0)} commands/s, ` +
          `average batch ${number(ledger.averageBatchSize, 1)}, batch commit p50 ` +
          `${ms(ledger.batchCommitMs.p50)} ms p99 ${ms(ledger.batchCommitMs.p99)} ms (buckets)`,
    ],
    [
      'postgres',
      `${number(database.commitsPerSecond, 0)} commits/s, WAL ` +
        `${number(database.walMiB, 1)} MiB, ${number(database.walSyncs)} fsyncs averaging ` +
        `${ms(database.walSyncMeanMs)} ms`,
    ],
    ['backlog peak', backlogRow(step.backlog.peak)],
    [
      'after the load',
      empty === null
        ? `NOT EMPTY after the settle timeout: ${backlogRow(step.backlog.atSettleEnd)}`
        : `pipeline empty ${number(empty, 1)} s after the last answer`,
    ],
    [
      '202 read back',
      `${number(step.accepted.checked)} of ${number(step.accepted.total)}: ` +
        `${counts(step.accepted.statuses)}; still processing ${step.accepted.stillProcessing}`,
    ],
  ];
}

export function formatSummary(
  steps: StepResult[],
  latencyTargetMs: number,
  highest: number | null,
): string {
  const header = [
    'rate/s',
    'answers/s',
    '201',
    '202',
    'errors',
    'dropped',
    'p50 ms',
    'p99 ms',
    'p99.9 ms',
    'max ms',
    ...PROCESS_NAMES.map((name) => `${name} %`),
    'ok',
  ];
  const rows = steps.map((step) => [
    number(step.intendedRatePerSecond),
    number(step.answersPerSecond, 1),
    number(step.counts.completed + step.counts.rejected),
    number(step.counts.accepted),
    number(
      step.counts.clientErrors +
        step.counts.serverErrors +
        step.counts.networkErrors +
        step.counts.otherStatuses,
    ),
    number(step.counts.dropped),
    ms(step.latencyMs.allRequests.p50),
    ms(step.latencyMs.allRequests.p99),
    ms(step.latencyMs.allRequests.p999),
    ms(step.latencyMs.answered.max),
    ...PROCESS_NAMES.map((name) => percent(step.cpu[name]).replace('%', '')),
    step.withinLatencyTarget ? 'yes' : 'no',
  ]);
  return [
    `Summary (latency over all requests: one without a 201 counts as infinitely slow; ` +
      `target p99 <= ${latencyTargetMs} ms)`,
    ...columns(header, rows),
    `  highest rate with p99 <= ${latencyTargetMs} ms: ` +
      `${highest === null ? 'none of the rates tried' : `${number(highest)} payments/s`}`,
  ].join('\n');
}
