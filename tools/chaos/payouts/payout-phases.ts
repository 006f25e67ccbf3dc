import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { xoroshiro128plus } from 'pure-rand';
import { Check } from '../chaos-checks';
import { BankControl, faultsBetween } from './bank-control';
import { PHASE_ONE_FAULTS, PayoutChaosConfig } from './payout-config';
import { drainPayouts, heldDuringFaultsCheck, terminalCheck } from './payout-checks';
import { AttemptRecord, PayoutLoad, PayoutRecord } from './payout-load';
import { PayoutPlatform } from './payout-platform';

/** What one phase did and what held. */
export interface PhaseResult {
  name: string;
  action: string;
  payouts: PayoutRecord[];
  checks: Check[];
  /** Faults the bank injected during the phase, by kind. */
  bankFaults: Record<string, number>;
  kills: number;
  faultSeconds: number;
  drainSeconds: number;
  /** Figures of the phase, e.g. the breaker's opening time. */
  figures: Record<string, number | null>;
}

export interface PhaseContext {
  config: PayoutChaosConfig;
  platform: PayoutPlatform;
  bank: BankControl;
  load: PayoutLoad;
  database: Pool;
  clock: () => number;
  signal: AbortSignal;
  log: (message: string) => void;
}

/** Lets the adapter work on the last payouts under the faults before the snapshot and healing. */
const UNDER_FAULTS_MS = 3_000;
const READY_POLL_MS = 250;
const READY_TIMEOUT_MS = 90_000;
const UINT32_RANGE = 4_294_967_296;

/** Heals nothing itself: waits for the payouts to be terminal and checks that they are. */
export async function drainAndCheck(
  context: PhaseContext,
  name: string,
  payouts: PayoutRecord[],
): Promise<{ drainSeconds: number; check: Check }> {
  const { database, config, clock, log } = context;
  log(`${name}: waiting for ${payouts.length} payouts to be terminal`);
  const drainSeconds = await drainPayouts(
    database,
    payouts,
    clock() + config.drainTimeoutMs,
    clock,
  );
  log(`${name}: drained in ${drainSeconds.toFixed(1)} s`);
  return { drainSeconds, check: terminalCheck(payouts, name) };
}

/** Phase 1: the bank drops after applying, answers 503 and hangs, seeded; then it is healed. */
export async function bankFaultPhase(context: PhaseContext): Promise<PhaseResult> {
  const { config, bank, load, database, clock, signal, log } = context;
  const name = 'bank faults';
  const before = await bank.bankMetrics();
  await bank.setFaults(PHASE_ONE_FAULTS);
  const startedMs = clock();
  log(`${name}: ${config.faultPayouts} payouts at ${config.faultRatePerSecond}/s`);
  const payouts = await load.run({
    phase: name,
    ratePerSecond: config.faultRatePerSecond,
    count: config.faultPayouts,
    signal,
  });
  await sleep(UNDER_FAULTS_MS, undefined, { signal });
  const held = await heldDuringFaultsCheck(database, payouts, name);
  await bank.setFaults({});
  const faultSeconds = (clock() - startedMs) / 1_000;
  const bankFaults = faultsBetween(before, await bank.bankMetrics());
  log(`${name}: healed after ${faultSeconds.toFixed(1)} s; injected ${JSON.stringify(bankFaults)}`);
  const { drainSeconds, check } = await drainAndCheck(context, name, payouts);
  const injected = Object.values(bankFaults).reduce((sum, count) => sum + count, 0);
  return {
    name,
    action: 'drop after apply 10 %, 503 10 %, hang 5 %',
    payouts,
    checks: [
      {
        name: `${name}: the bank injected every kind of fault`,
        passed: Object.values(bankFaults).every((count) => count > 0),
        detail: `${injected} faults: ${JSON.stringify(bankFaults)}`,
      },
      held,
      check,
    ],
    bankFaults,
    kills: 0,
    faultSeconds,
    drainSeconds,
    figures: {},
  };
}

async function waitForAdapter(context: PhaseContext): Promise<void> {
  const deadlineMs = context.clock() + READY_TIMEOUT_MS;
  let last = '';
  while (context.clock() < deadlineMs) {
    context.signal.throwIfAborted();
    last = await context.platform.readiness('partner-adapter');
    if (last === 'ready') return;
    await sleep(READY_POLL_MS);
  }
  throw new Error(`the partner adapter is not ready again: ${last}`);
}

/** Phase 2: the partner adapter SIGKILLed again and again while payouts flow; its supervisor restarts it. */
export async function adapterKillPhase(context: PhaseContext): Promise<PhaseResult> {
  const { config, platform, load, clock, signal, log } = context;
  const name = 'adapter SIGKILLs';
  const random = xoroshiro128plus(config.seed ^ 0x5eed);
  const { min, max } = config.killAfterReadyMs;
  let killing = true;
  const startedMs = clock();
  log(`${name}: ${config.kills} kills, payouts at ${config.killRatePerSecond}/s meanwhile`);
  const sent = load.run({
    phase: name,
    ratePerSecond: config.killRatePerSecond,
    until: () => !killing,
    signal,
  });
  const pids: number[] = [];
  const openAtKills: number[] = [];
  try {
    for (let kill = 0; kill < config.kills; kill += 1) {
      await waitForAdapter(context);
      const uniform = (random.unsafeNext() >>> 0) / UINT32_RANGE;
      await sleep(min + Math.floor(uniform * (max - min)), undefined, { signal });
      openAtKills.push(await openPayouts(context));
      pids.push(platform.kill('partner-adapter'));
    }
  } finally {
    killing = false;
  }
  const payouts = await sent;
  await waitForAdapter(context);
  const faultSeconds = (clock() - startedMs) / 1_000;
  log(`${name}: ${pids.length} kills in ${faultSeconds.toFixed(1)} s; adapter ready`);
  const { drainSeconds, check } = await drainAndCheck(context, name, payouts);
  return {
    name,
    action: `${pids.length} x SIGKILL of the partner adapter`,
    payouts,
    checks: [
      {
        name: `${name}: the adapter was killed ${config.kills} times and came back each time`,
        passed: pids.length === config.kills,
        detail: `${pids.length} kills, ${platform.restarts('partner-adapter')} restarts`,
      },
      check,
    ],
    bankFaults: {},
    kills: pids.length,
    faultSeconds,
    drainSeconds,
    figures: {
      openPayoutsAtKillMin: openAtKills.length > 0 ? Math.min(...openAtKills) : null,
      openPayoutsAtKillMax: openAtKills.length > 0 ? Math.max(...openAtKills) : null,
    },
  };
}

/** Payouts the adapter holds unfinished (queued, being sent, pending at the bank) right now. */
async function openPayouts(context: PhaseContext): Promise<number> {
  const { rows } = await context.database.query<{ count: string }>(
    `SELECT count(*) FROM partner_adapter.payouts
     WHERE state IN ('queued', 'submitting', 'pending')`,
  );
  return Number(rows[0].count);
}

/** Latency percentiles of the POST attempts, in milliseconds (null without attempts). */
export function latencyOf(attempts: AttemptRecord[], q: number): number | null {
  if (attempts.length === 0) return null;
  const sorted = attempts.map((attempt) => attempt.latencyMs).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
