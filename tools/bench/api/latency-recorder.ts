import { round } from '../harness/machine-info';

/** Quantiles in milliseconds (recorded in whole microseconds); null without samples. */
export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
  mean: number | null;
}

/** 2^32 - 1 microseconds is 71 minutes: longer is recorded as that. */
const MICROSECONDS_MAX = 0xffff_ffff;

/**
 * Every sample kept, in microseconds, in a fixed array sized for the step's planned requests: exact
 * quantiles (nearest rank) without a histogram's bucket error, and a bound on memory.
 */
export class LatencyRecorder {
  private readonly samples: Uint32Array;
  private size = 0;
  private sumMicroseconds = 0;
  /** Samples that did not fit (never, when the capacity is the planned request count). */
  overflow = 0;

  constructor(capacity: number) {
    this.samples = new Uint32Array(Math.max(1, capacity));
  }

  get count(): number {
    return this.size;
  }

  recordMilliseconds(milliseconds: number): void {
    const microseconds = Math.min(MICROSECONDS_MAX, Math.max(0, Math.round(milliseconds * 1_000)));
    if (this.size === this.samples.length) {
      this.overflow += 1;
      return;
    }
    this.samples[this.size] = microseconds;
    this.size += 1;
    this.sumMicroseconds += microseconds;
  }

  /** Sorted copy of the samples (typed arrays sort numerically). */
  sorted(): Uint32Array {
    return this.samples.slice(0, this.size).sort();
  }

  summary(): LatencySummary {
    const sorted = this.sorted();
    const at = (q: number) => quantileOfSorted(sorted, sorted.length, q);
    return {
      count: this.size,
      p50: at(0.5),
      p95: at(0.95),
      p99: at(0.99),
      p999: at(0.999),
      max: this.size > 0 ? round(sorted[this.size - 1] / 1_000, 3) : null,
      mean: this.size > 0 ? round(this.sumMicroseconds / this.size / 1_000, 3) : null,
    };
  }
}

/**
 * The q-quantile in milliseconds by nearest rank over `population` requests of which `sorted` are
 * the ones with a latency; the rest count as infinitely slow (null when the rank falls there).
 */
export function quantileOfSorted(
  sorted: Uint32Array,
  population: number,
  q: number,
): number | null {
  if (population <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * population));
  return rank <= sorted.length ? round(sorted[rank - 1] / 1_000, 3) : null;
}
