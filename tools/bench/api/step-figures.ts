import { CostTable } from '../harness/cost-table';
import { CpuFigure } from '../harness/process-cpu';
import { DatabaseCounters } from '../harness/database-counters';
import { round } from '../harness/machine-info';
import { Calibration } from '../harness/pgbench-calibration';
import { Samples } from '../harness/prometheus-metrics';
import { StatementCount } from '../harness/statement-counter';
import { AcceptedFate } from './accepted-fate';
import { LatencySummary, quantileOfSorted } from './latency-recorder';
import { OpenLoopLoad } from './open-loop-load';
import { OutcomeCounts, OutcomeDetails } from './outcome-counts';
import { PipelineBacklog } from './pipeline-probe';
import { CpuSnapshot, ProcessName, stepCpuBetween } from './process-usage';
import { ledgerFigures, stepDatabaseFigures } from './service-figures';
import { stepRatios } from './step-cost';
import { TimelinePoint } from './step-monitor';

export type StepStatus = 'completed' | 'drain_timeout' | 'interrupted';

/** The figures of one rate, as printed and as written to the JSON. */
export interface StepResult {
  status: StepStatus;
  /** When the load began, to find the step in the services' logs. */
  startedAt: string;
  intendedRatePerSecond: number;
  durationSeconds: number;
  planned: number;
  sent: number;
  /** From the first intended send to the last answer. */
  elapsedSeconds: number;
  answersPerSecond: number;
  confirmedPerSecond: number;
  /** The step's throughput figures divided by pgbench's tps of the same run. */
  ratiosToPgbench: ReturnType<typeof stepRatios>;
  counts: OutcomeCounts;
  details: OutcomeDetails;
  latencyMs: {
    /** Every HTTP answer, whatever its status. */
    answered: LatencySummary;
    /** 201 answers (completed or rejected): the confirmed payments. */
    confirmed: LatencySummary;
    /**
     * Over all requests that were due, one without a 201 counting as infinitely slow (null): the
     * figure the sweep's latency target is judged on.
     */
    allRequests: Pick<LatencySummary, 'p50' | 'p95' | 'p99' | 'p999'>;
  };
  withinLatencyTarget: boolean;
  generator: { sendLagMs: LatencySummary; outstandingPeak: number; connections: number };
  cpu: Record<ProcessName, CpuFigure | null>;
  ledger: {
    commandsPerSecond: number;
    averageBatchSize: number | null;
    batchCommitMs: { p50: number | null; p99: number | null; method: string };
  } | null;
  database: {
    commitsPerSecond: number;
    walMiB: number;
    walSyncs: number | null;
    walSyncMeanMs: number | null;
  };
  backlog: {
    /** The largest of each backlog sampled during the step. */
    peak: PipelineBacklog | null;
    /** Seconds after the last answer until every backlog was empty; null if it never was. */
    emptySecondsAfterLoad: number | null;
    atSettleEnd: PipelineBacklog | null;
  };
  accepted: AcceptedFate;
  /** Per payment taken (201 or 202); null if the step was interrupted. */
  cost: CostTable | null;
  timeline: TimelinePoint[];
}

export interface StepSnapshot {
  cpu: CpuSnapshot;
  ledgerMetrics: Samples;
  database: DatabaseCounters;
  statements: StatementCount | null;
}

/** What a step measured, as the load step hands it over. */
export interface StepInput {
  status: StepStatus;
  load: OpenLoopLoad;
  durationMs: number;
  connections: number;
  latencyTargetMs: number;
  before: StepSnapshot;
  after: StepSnapshot;
  timeline: TimelinePoint[];
  settle: { emptySeconds: number | null; backlog: PipelineBacklog | null };
  accepted: AcceptedFate;
  ratePerSecond: number;
  startedAt: Date;
  calibration: Calibration | null;
  cost: CostTable | null;
}

export function stepFigures(input: StepInput): StepResult {
  const { load, before, after } = input;
  const elapsedSeconds = Math.max(0.001, (load.lastAnswerAt - load.startAt) / 1_000);
  const windowSeconds = Math.max(0.001, (after.cpu.at - before.cpu.at) / 1_000);
  const confirmedSorted = load.confirmed.sorted();
  // Requests that were due: all planned ones, unless the step was interrupted.
  const due = load.sent + load.counts.dropped;
  const overAll = (q: number) => quantileOfSorted(confirmedSorted, due, q);
  const allRequests = {
    p50: overAll(0.5),
    p95: overAll(0.95),
    p99: overAll(0.99),
    p999: overAll(0.999),
  };
  const ledger = ledgerFigures(before.ledgerMetrics, after.ledgerMetrics, windowSeconds);
  const database = stepDatabaseFigures(before.database, after.database, windowSeconds);
  const answersPerSecond = round(load.answered.count / elapsedSeconds, 1);
  const confirmedPerSecond = round(load.confirmed.count / elapsedSeconds, 1);
  return {
    status: input.status,
    startedAt: input.startedAt.toISOString(),
    intendedRatePerSecond: input.ratePerSecond,
    durationSeconds: input.durationMs / 1_000,
    planned: load.planned,
    sent: load.sent,
    elapsedSeconds: round(elapsedSeconds, 3),
    answersPerSecond,
    confirmedPerSecond,
    ratiosToPgbench: stepRatios(input.calibration, {
      intendedRatePerSecond: input.ratePerSecond,
      answersPerSecond,
      confirmedPerSecond,
      ledgerCommandsPerSecond: ledger?.commandsPerSecond ?? null,
      postgresCommitsPerSecond: database.commitsPerSecond,
    }),
    counts: load.counts,
    details: load.details,
    latencyMs: {
      answered: load.answered.summary(),
      confirmed: load.confirmed.summary(),
      allRequests,
    },
    withinLatencyTarget:
      input.status === 'completed' &&
      allRequests.p99 !== null &&
      allRequests.p99 <= input.latencyTargetMs,
    generator: {
      sendLagMs: load.sendLag.summary(),
      outstandingPeak: load.outstandingPeak,
      connections: input.connections,
    },
    cpu: stepCpuBetween(before.cpu, after.cpu),
    ledger,
    database,
    backlog: {
      peak: peakBacklog(input.timeline),
      emptySecondsAfterLoad: input.settle.emptySeconds,
      atSettleEnd: input.settle.backlog,
    },
    accepted: input.accepted,
    cost: input.cost,
    timeline: input.timeline,
  };
}

function peakBacklog(timeline: TimelinePoint[]): PipelineBacklog | null {
  const read = timeline.map((point) => point.backlog).filter((b): b is PipelineBacklog => !!b);
  if (read.length === 0) return null;
  const peak = (key: keyof PipelineBacklog) => Math.max(...read.map((backlog) => backlog[key]));
  return {
    gatewayOutbox: peak('gatewayOutbox'),
    ledgerCommandLag: peak('ledgerCommandLag'),
    ledgerOutbox: peak('ledgerOutbox'),
    projectionLag: peak('projectionLag'),
  };
}
