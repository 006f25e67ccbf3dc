import { setTimeout as sleep } from 'node:timers/promises';
import { Samples, total } from '../../bench/harness/prometheus-metrics';
import { Check } from '../chaos-checks';
import { createBreakerState, faultsBetween } from './bank-control';
import { PhaseContext, PhaseResult, drainAndCheck, latencyOf } from './payout-phases';

const METRICS_POLL_MS = 200;
const BREAKER_OPEN_WITHIN_MS = 5_000;
const POST_P99_TARGET_MS = 100;
/** One call per breaker may have been on its way when both were seen open (polling). */
const IN_FLIGHT_SLACK = 2;

const halfOpenings = (samples: Samples) =>
  total(samples, 'partner_breaker_transitions_total', { to: 'halfOpen' });
const bothOpen = (samples: Samples) =>
  total(samples, 'partner_breaker_state', { call_kind: 'create' }) === 2 &&
  total(samples, 'partner_breaker_state', { call_kind: 'status' }) === 2;

interface Watch {
  createOpenMs: number | null;
  /** Scrapes of the bank and the adapter when both breakers were first seen open. */
  openAt: { bank: Samples; adapter: Samples; atMs: number } | null;
}

/** Polls the adapter's breaker states until `stopMs`, noting when they opened. */
async function watchBreakers(context: PhaseContext, stopMs: number): Promise<Watch> {
  const { bank, clock } = context;
  const watch: Watch = { createOpenMs: null, openAt: null };
  while (clock() < stopMs && !context.signal.aborted) {
    const adapter = await bank.adapterMetrics().catch(() => null);
    if (adapter) {
      if (watch.createOpenMs === null && createBreakerState(adapter) === 2) {
        watch.createOpenMs = clock();
      }
      if (watch.openAt === null && bothOpen(adapter)) {
        watch.openAt = { bank: await bank.bankMetrics(), adapter, atMs: clock() };
      }
    }
    await sleep(METRICS_POLL_MS);
  }
  return watch;
}

const REFERENCE_MS = 10_000;
const REFERENCE_PHASE = 'bank up (reference)';

/** Before phase 3: the same load with the bank healthy, the POST latency to compare with. */
export async function referencePhase(context: PhaseContext): Promise<PhaseResult> {
  const { config, load, clock, signal } = context;
  const startedMs = clock();
  const payouts = await load.run({
    phase: REFERENCE_PHASE,
    ratePerSecond: config.blackholeRatePerSecond,
    until: () => clock() >= startedMs + REFERENCE_MS,
    signal,
  });
  const faultSeconds = (clock() - startedMs) / 1_000;
  const { drainSeconds, check } = await drainAndCheck(context, REFERENCE_PHASE, payouts);
  const own = load.attempts.filter((attempt) => attempt.phase === REFERENCE_PHASE);
  return {
    name: REFERENCE_PHASE,
    action: `no fault for ${REFERENCE_MS / 1_000} s`,
    payouts,
    checks: [check],
    bankFaults: {},
    kills: 0,
    faultSeconds,
    drainSeconds,
    figures: { postP99Ms: latencyOf(own, 0.99) },
  };
}

/**
 * Phase 3: the bank hangs on every request for a while. The create breaker must open within 5 s,
 * the bank see only the breakers' probes while they are open, POST /v1/payouts stay fast, and
 * every payout complete after healing.
 */
export async function blackholePhase(context: PhaseContext): Promise<PhaseResult> {
  const { config, bank, load, clock, signal, log } = context;
  const name = 'bank blackholed';
  const before = await bank.bankMetrics();
  await bank.setFaults({ hangRate: 1, hangMs: config.blackholeMs });
  const startedMs = clock();
  const stopMs = startedMs + config.blackholeMs;
  log(`${name}: every request hangs for ${config.blackholeMs / 1_000} s`);
  const sent = load.run({
    phase: name,
    ratePerSecond: config.blackholeRatePerSecond,
    until: () => clock() >= stopMs,
    signal,
  });
  const watch = await watchBreakers(context, stopMs);
  const [bankAtHeal, adapterAtHeal] = [await bank.bankMetrics(), await bank.adapterMetrics()];
  await bank.setFaults({});
  const payouts = await sent;
  const faultSeconds = (clock() - startedMs) / 1_000;
  const downAttempts = load.attempts.filter(
    (attempt) => attempt.sentMs >= startedMs && attempt.sentMs < stopMs,
  );
  const p99 = latencyOf(downAttempts, 0.99);
  const reference = load.attempts.filter((attempt) => attempt.phase === REFERENCE_PHASE);
  const openSeconds = watch.createOpenMs === null ? null : (watch.createOpenMs - startedMs) / 1e3;
  const { drainSeconds, check } = await drainAndCheck(context, name, payouts);
  const completed = payouts.filter((payout) => payout.finalStatus === 'completed').length;
  const accepted = payouts.filter((payout) => payout.paymentIds.length > 0).length;
  return {
    name,
    action: `hang 100 % for ${config.blackholeMs / 1_000} s`,
    payouts,
    checks: [
      {
        name: `${name}: the create breaker opens within ${BREAKER_OPEN_WITHIN_MS / 1_000} s`,
        passed: openSeconds !== null && openSeconds * 1_000 <= BREAKER_OPEN_WITHIN_MS,
        detail: openSeconds === null ? 'never seen open' : `open after ${openSeconds.toFixed(1)} s`,
      },
      probeCheck(name, watch, bankAtHeal, adapterAtHeal, clock()),
      {
        name: `${name}: POST /v1/payouts p99 <= ${POST_P99_TARGET_MS} ms while the bank is down`,
        passed: p99 !== null && p99 <= POST_P99_TARGET_MS,
        detail:
          `p99 ${p99?.toFixed(0)} ms (bank up: ${latencyOf(reference, 0.99)?.toFixed(0)} ms)` +
          `, p50 ${latencyOf(downAttempts, 0.5)?.toFixed(0)} ms` +
          `, max ${latencyOf(downAttempts, 1)?.toFixed(0)} ms over ${downAttempts.length} POSTs`,
      },
      check,
      {
        name: `${name}: every payout completed after healing`,
        passed: completed === accepted && accepted > 0,
        detail: `${completed} of ${accepted} completed`,
      },
    ],
    bankFaults: faultsBetween(before, bankAtHeal),
    kills: 0,
    faultSeconds,
    drainSeconds,
    figures: { breakerOpenSeconds: openSeconds, postP99Ms: p99 },
  };
}

/** While both breakers were open, the bank saw no more requests than their half-open probes. */
function probeCheck(
  name: string,
  watch: Watch,
  bankAtHeal: Samples,
  adapterAtHeal: Samples,
  nowMs: number,
): Check {
  if (!watch.openAt) {
    return {
      name: `${name}: the bank sees only probes while open`,
      passed: false,
      detail: 'the breakers were never both open',
    };
  }
  const requests = faultsBetween(watch.openAt.bank, bankAtHeal).hang;
  const probes = halfOpenings(adapterAtHeal) - halfOpenings(watch.openAt.adapter);
  const seconds = (nowMs - watch.openAt.atMs) / 1_000;
  return {
    name: `${name}: the bank sees no more than the probe rate while the breakers are open`,
    passed: requests <= probes + IN_FLIGHT_SLACK,
    detail:
      `${requests} requests reached the bank in ${seconds.toFixed(1)} s open; ` +
      `${probes} half-open probes (create and status), ${IN_FLIGHT_SLACK} allowed in flight`,
  };
}
