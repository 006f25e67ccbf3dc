/** How the benchmarks and chaos count what became of their requests. */
const DISTINCT_CODES_MAX = 50;

/** Counts by code, with a bound on distinct codes (an unexpected body must not grow it). */
export function increment(counts: Record<string, number>, code: string): void {
  if (!(code in counts) && Object.keys(counts).length >= DISTINCT_CODES_MAX) code = 'other';
  counts[code] = (counts[code] ?? 0) + 1;
}

export function networkErrorCode(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return typeof code === 'string' ? code : error.name;
  }
  return 'unknown';
}
