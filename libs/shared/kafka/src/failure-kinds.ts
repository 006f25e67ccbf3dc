/**
 * Whether a failed batch should be split to find the message that causes it. Only failures that the
 * same input will cause again qualify: PostgreSQL data exceptions (class 22, e.g. a bigint out of
 * range) and integrity violations (class 23), and violated domain invariants. Everything else
 * (connections, timeouts, deadlocks, serialization, a missing table) is retried whole: splitting a
 * batch because the database is down would refuse every command in it.
 */
export function isPermanentFailure(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const candidate = error as {
    name?: unknown;
    code?: unknown;
    driverError?: { code?: unknown };
    permanent?: unknown;
  };
  if (candidate.permanent === true) return true;
  if (candidate.name === 'InvariantViolation') return true;
  const code = typeof candidate.code === 'string' ? candidate.code : candidate.driverError?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** A short, log-safe description of a failure: its code and message, never query parameters. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code =
    (error as { code?: unknown }).code ??
    (error as { driverError?: { code?: unknown } }).driverError?.code;
  return typeof code === 'string' ? `${code}: ${error.message}` : `${error.name}: ${error.message}`;
}
