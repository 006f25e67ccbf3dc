import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { CostTable } from '../harness/cost-table';
import { readDatabaseCounters } from '../harness/database-counters';
import { BenchDatabase } from '../harness/bench-database';
import { Calibration } from '../harness/pgbench-calibration';
import { Samples, scrape } from '../harness/prometheus-metrics';
import { StatementCounter } from '../harness/statement-counter';
import { BenchClient } from '../harness/account-setup';
import { AcceptedFate, checkAcceptedFate } from './accepted-fate';
import { ApiBenchConfig } from './api-bench-config';
import { OpenLoopLoad } from './open-loop-load';
import { PipelineBacklog, PipelineProbe, backlogTotal } from './pipeline-probe';
import { CpuSnapshot, ObservedPids, takeStepCpu } from './process-usage';
import { stepCost, waitForStatistics } from './step-cost';
import { StepMonitor } from './step-monitor';
import { StepResult, StepSnapshot, StepStatus, stepFigures } from './step-figures';

/** What every step uses: the running platform, its accounts and the observers. */
export interface StepContext {
  config: ApiBenchConfig;
  pool: Pool;
  clients: BenchClient[];
  pids: ObservedPids;
  probe: PipelineProbe;
  database: BenchDatabase;
  statements: StatementCounter;
  calibration: Calibration | null;
  gatewayUrl: string;
  ledgerMetricsUrl: string;
  runTag: string;
  signal: AbortSignal;
  log: (message: string) => void;
}

const SETTLE_POLL_MS = 500;

/** How soon after the load every backlog was empty (null: not within the settle timeout). */
export interface StepSettle {
  emptySeconds: number | null;
  backlog: PipelineBacklog | null;
}

/** One rate: the open-loop load, then the wait for the pipeline to empty and the 202s' fate. */
export async function runLoadStep(
  context: StepContext,
  ratePerSecond: number,
  index: number,
): Promise<StepResult> {
  const { config, pids } = context;
  const log = (message: string) => context.log(`[${ratePerSecond}/s] ${message}`);
  const stepController = new AbortController();
  const signal = AbortSignal.any([context.signal, stepController.signal]);
  // Every outstanding request listens to it: thousands of listeners are expected, not a leak.
  setMaxListeners(0, signal);
  const load = new OpenLoopLoad(context.pool, context.clients, {
    ratePerSecond,
    durationMs: config.durationMs,
    outstandingMax: config.outstandingMax,
    keyPrefix: `api-bench-${context.runTag}-${index}-${ratePerSecond}`,
    signal,
  });
  const monitor = new StepMonitor(load, pids, context.probe, log);
  const before = await snapshot(context);
  log(`${load.planned} payments over ${config.durationMs / 1_000} s`);
  const startedAt = new Date();
  monitor.start();
  // Answers may trail the schedule by a request timeout; queued ones (all connections busy) by
  // more. After that, what is still outstanding is aborted and counted as a network error.
  const drainTimeout = Object.assign(new Error('drain timeout'), { code: 'BENCH_DRAIN_TIMEOUT' });
  const drainLimit = setTimeout(
    () => stepController.abort(drainTimeout),
    config.durationMs + 2 * config.requestTimeoutMs,
  );
  await load.run();
  clearTimeout(drainLimit);
  const cpuAtEnd = takeStepCpu(pids);
  monitor.stop();
  const after = { ...(await snapshot(context)), cpu: cpuAtEnd };
  const status: StepStatus = context.signal.aborted
    ? 'interrupted'
    : stepController.signal.aborted
      ? 'drain_timeout'
      : 'completed';
  log(`load done (${status}); waiting for the pipeline to empty`);
  const { settle, cost, accepted } = await afterLoad(context, { load, before, cpuAtEnd, status });
  return stepFigures({
    status,
    load,
    durationMs: config.durationMs,
    connections: config.connections,
    latencyTargetMs: config.latencyTargetMs,
    before,
    after,
    timeline: monitor.timeline,
    settle,
    accepted,
    ratePerSecond,
    startedAt,
    calibration: context.calibration,
    cost,
  });
}

/**
 * Unless interrupted: the wait for the pipeline to empty, the cost table up to then (once
 * PostgreSQL's statistics include the last requests), and the fate of the 202s.
 */
async function afterLoad(
  context: StepContext,
  step: { load: OpenLoopLoad; before: StepSnapshot; cpuAtEnd: CpuSnapshot; status: StepStatus },
): Promise<{ settle: StepSettle; cost: CostTable | null; accepted: AcceptedFate }> {
  const { load, status } = step;
  if (status === 'interrupted') {
    return {
      settle: { emptySeconds: null, backlog: null },
      cost: null,
      accepted: { total: load.counts.accepted, checked: 0, statuses: {}, stillProcessing: 0 },
    };
  }
  const settle = await waitForEmptyPipeline(context, context.config.settleTimeoutMs);
  await waitForStatistics(step.cpuAtEnd.at, context.signal);
  const cost = stepCost({
    load,
    before: step.before,
    end: await snapshot(context),
    statementsUnavailable: context.statements.unavailable,
  });
  const accepted = await checkAcceptedFate({
    gatewayUrl: context.gatewayUrl,
    apiKeys: context.clients.map((client) => client.apiKey),
    accepted: load.acceptedPayments,
    total: load.counts.accepted,
    signal: context.signal,
  });
  return { settle, cost, accepted };
}

async function snapshot(context: StepContext): Promise<StepSnapshot> {
  const [ledgerMetrics, database, statements] = await Promise.all([
    scrape(context.ledgerMetricsUrl).catch((): Samples => new Map()),
    readDatabaseCounters(context.database),
    context.statements.read(),
  ]);
  // CPU last: the closest to the load's start.
  return { ledgerMetrics, database, statements, cpu: takeStepCpu(context.pids) };
}

/** Two empty reads in a row: a command between two stages shows in one backlog or the next. */
export async function waitForEmptyPipeline(
  context: Pick<StepContext, 'probe' | 'signal'>,
  timeoutMs: number,
): Promise<StepSettle> {
  const start = performance.now();
  let backlog: PipelineBacklog | null = null;
  let emptyReads = 0;
  while (performance.now() - start <= timeoutMs) {
    backlog = await context.probe.backlog().catch(() => null);
    emptyReads = backlog && backlogTotal(backlog) === 0 ? emptyReads + 1 : 0;
    if (emptyReads === 2) {
      return { emptySeconds: Math.round((performance.now() - start) / 100) / 10, backlog };
    }
    await sleep(SETTLE_POLL_MS, undefined, { signal: context.signal });
  }
  return { emptySeconds: null, backlog };
}
