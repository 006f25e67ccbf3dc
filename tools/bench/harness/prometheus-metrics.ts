const SCRAPE_TIMEOUT_MS = 5_000;

/** Samples of one scrape: `name{label="value",...}` (labels as printed) to value. */
export type Samples = Map<string, number>;

export interface HistogramDelta {
  /** Cumulative counts per upper bound, ascending, +Inf last. */
  buckets: { upperBound: number; count: number }[];
  sum: number;
  count: number;
}

export async function scrape(url: string): Promise<Samples> {
  const response = await fetch(url, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return parseSamples(await response.text());
}

export function parseSamples(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?)\s+(\S+)/.exec(line);
    if (match) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

function label(series: string, name: string): string | undefined {
  return new RegExp(`[{,]${name}="([^"]*)"`).exec(series)?.[1];
}

/** Sum of a metric's samples (over all label sets) whose labels include `labels`. */
export function total(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [series, value] of samples) {
    const seriesName = series.split('{', 1)[0];
    if (seriesName !== name) continue;
    const matches = Object.entries(labels).every(([key, wanted]) => label(series, key) === wanted);
    if (matches) sum += value;
  }
  return sum;
}

/** The histogram's observations between two scrapes of the same process. */
export function histogramDelta(before: Samples, after: Samples, name: string): HistogramDelta {
  const bounds = new Set<string>();
  for (const series of after.keys()) {
    if (series.startsWith(`${name}_bucket{`)) bounds.add(label(series, 'le') ?? '+Inf');
  }
  const delta = (metric: string, labels: Record<string, string> = {}) =>
    total(after, metric, labels) - total(before, metric, labels);
  const buckets = [...bounds]
    .map((bound) => ({
      upperBound: bound === '+Inf' ? Infinity : Number(bound),
      count: delta(`${name}_bucket`, { le: bound }),
    }))
    .sort((a, b) => a.upperBound - b.upperBound);
  return { buckets, sum: delta(`${name}_sum`), count: delta(`${name}_count`) };
}

/**
 * The q-quantile, interpolated linearly within its bucket as Prometheus' histogram_quantile does:
 * an estimate whose resolution is the bucket width. Null without observations.
 */
export function bucketQuantile(histogram: HistogramDelta, q: number): number | null {
  if (histogram.count <= 0) return null;
  const rank = q * histogram.count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const { upperBound, count } of histogram.buckets) {
    if (count >= rank) {
      if (!Number.isFinite(upperBound)) return lowerBound;
      const inBucket = count - lowerCount;
      if (inBucket <= 0) return upperBound;
      return lowerBound + (upperBound - lowerBound) * ((rank - lowerCount) / inBucket);
    }
    lowerBound = upperBound;
    lowerCount = count;
  }
  return lowerBound;
}
