import type { FaultSettings } from './fault-settings';
import type { RandomSource } from './seeded-random';

/** What happens to one /v1 request: a delay first, then one outcome. */
export interface RequestFault {
  latencyMs: number;
  outcome: 'proceed' | 'error' | 'hang' | 'drop_after_apply';
}

/** The standard normal quantile at 0.99: p99 = median * exp(Z99 * sigma) for a log-normal. */
const Z99 = 2.326_347_874;

/** A standard normal draw (Box-Muller) from two uniforms. */
function standardNormal(random: RandomSource): number {
  const u1 = Math.max(random.next(), Number.EPSILON);
  const u2 = random.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A log-normal delay with the given median and p99, never under min, never over 4 x p99. */
export function drawLatencyMs(latency: FaultSettings['latencyMs'], random: RandomSource): number {
  if (latency.p99 === 0) return 0;
  const median = Math.max(latency.median, 1);
  const sigma = Math.log(Math.max(latency.p99, median) / median) / Z99;
  const drawn = median * Math.exp(sigma * standardNormal(random));
  return Math.round(Math.min(Math.max(drawn, latency.min), latency.p99 * 4));
}

/**
 * Draws the fault of one request. The outcomes are exclusive and checked in a fixed order
 * (error, hang, drop) from one uniform, so their rates add up: 0.1 + 0.05 + 0.1 leaves 75 %
 * of the requests untouched. Only requests that change something can be dropped after applying.
 */
export function decideRequestFault(
  settings: FaultSettings,
  random: RandomSource,
  applies: boolean,
): RequestFault {
  const latencyMs = drawLatencyMs(settings.latencyMs, random);
  const draw = random.next();
  let threshold = settings.errorRate;
  if (draw < threshold) return { latencyMs, outcome: 'error' };
  threshold += settings.hangRate;
  if (draw < threshold) return { latencyMs, outcome: 'hang' };
  threshold += settings.dropAfterApplyRate;
  if (applies && draw < threshold) return { latencyMs, outcome: 'drop_after_apply' };
  return { latencyMs, outcome: 'proceed' };
}

/** How a webhook delivery is disturbed the first time it is sent. */
export interface WebhookFault {
  duplicate: boolean;
  /** Held back this long before its first attempt (0: sent at once). */
  holdMs: number;
  kind: 'none' | 'reorder' | 'delay';
}

/** Reordering holds a delivery back by up to this long: enough for the next ones to overtake. */
export const REORDER_HOLD_MS_MAX = 1_000;

export function decideWebhookFault(
  settings: FaultSettings['webhooks'],
  random: RandomSource,
): WebhookFault {
  const duplicate = random.next() < settings.duplicateRate;
  const draw = random.next();
  const hold = random.next();
  if (draw < settings.delayRate) return { duplicate, holdMs: settings.delayMs, kind: 'delay' };
  if (draw < settings.delayRate + settings.reorderRate) {
    return {
      duplicate,
      holdMs: Math.round(200 + hold * (REORDER_HOLD_MS_MAX - 200)),
      kind: 'reorder',
    };
  }
  return { duplicate, holdMs: 0, kind: 'none' };
}
