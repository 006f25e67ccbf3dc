import { NO_FAULTS, faultSettingsSchema } from './fault-settings';
import { decideRequestFault, decideWebhookFault, drawLatencyMs } from './request-faults';
import { randomFor, randomSequence } from './seeded-random';

const faulty = faultSettingsSchema.parse({
  latencyMs: { min: 5, median: 20, p99: 200 },
  errorRate: 0.1,
  hangRate: 0.05,
  dropAfterApplyRate: 0.1,
});

function run(seed: number, count: number, applies = true) {
  const random = randomSequence(seed, 'requests');
  return Array.from({ length: count }, () => decideRequestFault(faulty, random, applies));
}

describe('request faults', () => {
  describe('given the same seed', () => {
    it('decides the same faults in the same order', () => {
      expect(run(42, 500)).toEqual(run(42, 500));
    });
  });

  describe('given another seed', () => {
    it('decides other faults', () => {
      expect(run(43, 500)).not.toEqual(run(42, 500));
    });
  });

  it('injects each outcome at about its rate, exclusively', () => {
    const outcomes = run(7, 20_000).map((fault) => fault.outcome);
    const share = (name: string) => outcomes.filter((o) => o === name).length / outcomes.length;
    expect(share('error')).toBeCloseTo(0.1, 1);
    expect(share('hang')).toBeCloseTo(0.05, 1);
    expect(share('drop_after_apply')).toBeCloseTo(0.1, 1);
    expect(share('proceed')).toBeCloseTo(0.75, 1);
  });

  it('never drops a request that applies nothing', () => {
    expect(run(7, 5_000, false).some((fault) => fault.outcome === 'drop_after_apply')).toBe(false);
  });

  it('injects nothing without settings', () => {
    const random = randomSequence(1, 'requests');
    for (let index = 0; index < 100; index += 1) {
      expect(decideRequestFault(NO_FAULTS, random, true)).toEqual({
        latencyMs: 0,
        outcome: 'proceed',
      });
    }
  });

  it('draws latencies around the median, within min and 4 x p99', () => {
    const random = randomSequence(3, 'latency');
    const drawn = Array.from({ length: 10_000 }, () => drawLatencyMs(faulty.latencyMs, random));
    drawn.sort((a, b) => a - b);
    expect(drawn[0]).toBeGreaterThanOrEqual(5);
    expect(drawn[drawn.length - 1]).toBeLessThanOrEqual(800);
    expect(drawn[5_000]).toBeGreaterThan(15);
    expect(drawn[5_000]).toBeLessThan(25);
    expect(drawn[9_900]).toBeGreaterThan(120);
    expect(drawn[9_900]).toBeLessThan(300);
  });
});

describe('webhook faults', () => {
  const settings = { duplicateRate: 0.2, reorderRate: 0.2, delayRate: 0.1, delayMs: 3_000 };

  it('depend only on the seed and the webhook id', () => {
    const first = decideWebhookFault(settings, randomFor(9, 'webhook', 'msg_1'));
    randomFor(9, 'webhook', 'msg_2').next();
    expect(decideWebhookFault(settings, randomFor(9, 'webhook', 'msg_1'))).toEqual(first);
  });

  it('holds a reordered delivery back less than a delayed one', () => {
    const faults = Array.from({ length: 2_000 }, (_, index) =>
      decideWebhookFault(settings, randomFor(5, 'webhook', `msg_${index}`)),
    );
    const reordered = faults.filter((fault) => fault.kind === 'reorder');
    const delayed = faults.filter((fault) => fault.kind === 'delay');
    expect(reordered.length / faults.length).toBeCloseTo(0.2, 1);
    expect(delayed.every((fault) => fault.holdMs === 3_000)).toBe(true);
    expect(reordered.every((fault) => fault.holdMs > 0 && fault.holdMs <= 1_000)).toBe(true);
    expect(faults.filter((fault) => fault.duplicate).length / faults.length).toBeCloseTo(0.2, 1);
  });
});
