import { CommandPosition } from '../harness/command-lag';
import { ConnectionStateSampler } from '../harness/connection-states';
import { costTable } from '../harness/cost-table';
import { postmasterOf } from '../harness/process-cpu';
import { processMemory } from '../harness/process-memory';
import { ServiceProcess } from '../harness/service-process';
import { drainFigures } from './drain-figures';
import { Snapshot, SnapshotTaker, costSample } from './drain-snapshot';
import { Session, startLedger, watch } from './ledger-session';
import { Rebalance } from './rebalance';
import { checkMoney } from './run-checks';
import { DrainResult, stableFor, waitForDrain, waitForOutbox } from './wait-for-ledger';
import { transferCommandPattern } from './workload-plan';

const OUTBOX_WAIT_MS_MAX = 60_000;

/** The drain as measured: its start snapshot, how it ended, and the snapshots' source. */
export interface MeasuredDrain {
  ledger: ServiceProcess;
  start: Snapshot;
  drain: DrainResult;
  snapshots: SnapshotTaker;
}

/** Restarts the ledger and measures until every transfer is terminal or the time is up. */
export async function measureDrain(
  session: Session,
  beforeRestart: CommandPosition,
): Promise<MeasuredDrain> {
  const { config, database, record, infrastructure, log } = session;
  const ledgers = await Promise.all(
    Array.from({ length: config.ledgers }, (_, index) => startLedger(session, index + 1)),
  );
  const ledger = ledgers[0];
  record.phases.ledgerStartToReadySeconds = Math.max(...ledgers.map((one) => one.startSeconds));
  const snapshots = new SnapshotTaker(
    session.lag,
    database,
    ledgers.map((one) => `${one.url}/metrics`),
    {
      ledgers: ledgers.map((one) => one.pid),
      postmaster: infrastructure.postgres?.pid ?? postmasterOf(await database.backendPid()),
      kafka: infrastructure.kafkaPid,
    },
    session.statements,
  );
  const start = await snapshots.take();
  log(
    `${ledgers.length} ledger(s) ready (pid ${ledgers.map((one) => one.pid)}); measuring the drain`,
  );
  const sampler = new ConnectionStateSampler(database, 'ledger');
  const rebalance =
    config.rebalanceAtS === undefined
      ? null
      : new Rebalance(session, start.at, config.rebalanceAtS);
  rebalance?.record(start.at, start.position.consumed);
  const drain = await waitForDrain(watch(session, ledger), snapshots, start, {
    transfers: config.transfers,
    pattern: transferCommandPattern(session.plan),
    timeoutMs: config.drainTimeoutMs,
    sampler,
    onPosition: (at, consumed) => rebalance?.record(at, consumed),
  });
  if (rebalance) record.rebalance = await rebalance.figures(drain.end.at);
  record.status = drain.status;
  record.drain = drainFigures({
    ...drain,
    transfers: config.transfers,
    beforeRestart,
    start,
    connectionStates: sampler.summary(),
  });
  record.memory.drainingLedger = processMemory(ledger.pid);
  return { ledger, start, drain, snapshots };
}

/** Per command between the ledger's readiness and `end`. */
export function recordCost(
  session: Session,
  measured: MeasuredDrain,
  end: Snapshot,
  window: string,
): void {
  session.record.cost = costTable({
    unit: 'command',
    units: Number(end.position.consumed - measured.start.position.consumed),
    window,
    before: costSample(measured.start),
    after: costSample(end),
    statementsUnavailable: session.statements.unavailable,
  });
}

export async function checkAfterDrain(session: Session, measured: MeasuredDrain): Promise<void> {
  const { record, plan, database } = session;
  const { ledger, drain } = measured;
  // The outbox first: the stability check waits a second, which would hide how soon it emptied.
  const outboxSeconds = await waitForOutbox(
    watch(session, ledger),
    drain.end.at,
    OUTBOX_WAIT_MS_MAX,
  );
  record.checks.outboxPublishedSecondsAfterDrain =
    outboxSeconds === null ? null : Math.round(outboxSeconds * 1_000) / 1_000;
  record.checks.stableForOneSecondAfterDrain = await stableFor(watch(session, ledger), drain.end);
  // After the outbox and the second of stableFor: the events' publication is part of a command's
  // cost, and PostgreSQL's statistics of the last batches have been flushed by then.
  recordCost(
    session,
    measured,
    await measured.snapshots.take(),
    'from the ledger ready until drained, its events published and 1 s more',
  );
  record.memory.drainingLedger = processMemory(ledger.pid);
  record.checks.money = await checkMoney(database, plan);
}
