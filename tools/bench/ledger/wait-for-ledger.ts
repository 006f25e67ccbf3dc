import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchDatabase } from '../harness/bench-database';
import { CommandLag } from '../harness/command-lag';
import { ConnectionStateSampler } from '../harness/connection-states';
import { ServiceProcess } from '../harness/service-process';
import { Snapshot, SnapshotTaker } from './drain-snapshot';
import { TransferOutcomes, transferOutcomes } from './ledger-outcomes';

const DRAIN_POLL_MS = 100;
const SETTLE_POLL_MS = 250;
const OUTBOX_POLL_MS = 50;
const STABLE_MS = 1_000;
const PROGRESS_EVERY_MS = 5_000;

export interface Watch {
  ledger: ServiceProcess;
  lag: CommandLag;
  database: BenchDatabase;
  signal: AbortSignal;
  log: (message: string) => void;
}

function checkRunning(watch: Watch): void {
  watch.signal.throwIfAborted();
  if (!watch.ledger.alive()) throw new Error(`the ledger ${watch.ledger.exitDescription()}`);
}

/**
 * Waits until every command on the topic is processed, the outbox is published, and neither has
 * moved for a second. Seeding has no follow-up commands, so this is enough.
 */
export async function waitUntilSettled(watch: Watch, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let settledSince: { at: number; end: bigint } | null = null;
  let lastProgress = performance.now();
  for (;;) {
    checkRunning(watch);
    const position = await watch.lag.position();
    const settled = position.lag === 0n && (await watch.database.unpublishedOutbox()) === 0;
    const now = performance.now();
    if (!settled || settledSince?.end !== position.end) {
      settledSince = settled ? { at: now, end: position.end } : null;
    } else if (now - settledSince.at >= STABLE_MS) {
      return;
    }
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      watch.log(`seeding: ${position.consumed}/${position.end} commands processed`);
    }
    if (now > deadline) {
      throw new Error(`seeding not processed within ${timeoutMs / 1_000} s (lag ${position.lag})`);
    }
    await sleep(SETTLE_POLL_MS);
  }
}

export type DrainStatus = 'completed' | 'timeout' | 'ledger_exited';

export interface DrainResult {
  status: DrainStatus;
  end: Snapshot;
  outcomes: TransferOutcomes;
}

/** Every transfer has reached a terminal state: debited and credited (or refunded), or rejected. */
export function transfersTerminal(outcomes: TransferOutcomes, transfers: number): boolean {
  return (
    outcomes.debits === transfers &&
    outcomes.credits === outcomes.debits - outcomes.rejected &&
    outcomes.refunds === outcomes.creditsRefused
  );
}

/**
 * Polls until the ledger's stored offsets reach the topic's end offsets (which grow as second
 * legs are appended) and the processed commands show every transfer terminal. The snapshot is
 * taken at the poll that first sees lag 0, before the slower count query.
 */
export async function waitForDrain(
  watch: Watch,
  snapshots: SnapshotTaker,
  start: Snapshot,
  options: {
    transfers: number;
    pattern: string;
    timeoutMs: number;
    sampler: ConnectionStateSampler;
    /** Every poll's position (the rebalance's per-second rate). */
    onPosition?: (at: number, consumed: bigint) => void;
  },
): Promise<DrainResult> {
  const deadline = start.at + options.timeoutMs;
  let lastProgress = start;
  for (;;) {
    watch.signal.throwIfAborted();
    if (!watch.ledger.alive()) {
      watch.log(`the ledger ${watch.ledger.exitDescription()} during the drain`);
      return finish(watch, snapshots, options.pattern, 'ledger_exited');
    }
    const [position] = await Promise.all([watch.lag.position(), options.sampler.sample()]);
    options.onPosition?.(performance.now(), position.consumed);
    if (position.lag === 0n) {
      const end = await snapshots.take();
      const outcomes = await transferOutcomes(watch.database, options.pattern);
      if (transfersTerminal(outcomes, options.transfers)) {
        return { status: 'completed', end, outcomes };
      }
    }
    const now = performance.now();
    if (now - lastProgress.at >= PROGRESS_EVERY_MS) {
      const current = await snapshots.take();
      const done = current.position.consumed - start.position.consumed;
      const rate =
        Number(current.position.consumed - lastProgress.position.consumed) /
        ((current.at - lastProgress.at) / 1_000);
      watch.log(
        `drain: ${done} commands processed, lag ${current.position.lag}, ` +
          `${Math.round(rate)} commands/s`,
      );
      lastProgress = current;
    }
    if (now > deadline) {
      watch.log(`drain timeout after ${options.timeoutMs / 1_000} s; reporting what was processed`);
      return finish(watch, snapshots, options.pattern, 'timeout');
    }
    await sleep(DRAIN_POLL_MS);
  }
}

async function finish(
  watch: Watch,
  snapshots: SnapshotTaker,
  pattern: string,
  status: DrainStatus,
): Promise<DrainResult> {
  const end = await snapshots.take();
  return { status, end, outcomes: await transferOutcomes(watch.database, pattern) };
}

/** After the drain: whether the stored offsets stay put for a second (nothing else arrives). */
export async function stableFor(watch: Watch, end: Snapshot): Promise<boolean> {
  await sleep(STABLE_MS);
  const position = await watch.lag.position();
  return position.end === end.position.end && position.lag === 0n;
}

/** Seconds until the outbox is fully published (events and second legs on Kafka), or null. */
export async function waitForOutbox(
  watch: Watch,
  from: number,
  timeoutMs: number,
): Promise<number | null> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    checkRunning(watch);
    if ((await watch.database.unpublishedOutbox()) === 0) return (performance.now() - from) / 1_000;
    await sleep(OUTBOX_POLL_MS);
  }
  return null;
}
