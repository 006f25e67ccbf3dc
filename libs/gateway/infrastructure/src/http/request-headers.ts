import { HttpProblemError, edgeProblems } from './problems/http-problem';

export const WAIT_SECONDS_MAX = 10;

/** `Prefer: respond-async` answers at once; `Prefer: wait=N` waits up to N seconds (max 10). */
export function waitMsFrom(prefer: string | undefined, defaultMs: number): number {
  if (!prefer) return defaultMs;
  const preferences = prefer.split(',').map((part) => part.trim().toLowerCase());
  if (preferences.includes('respond-async')) return 0;
  const wait = preferences.map((part) => /^wait=(\d{1,5})$/.exec(part)).find(Boolean);
  if (!wait) return defaultMs;
  return Math.min(Number(wait[1]), WAIT_SECONDS_MAX) * 1_000;
}

export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new HttpProblemError(edgeProblems.idempotencyKeyRequired());
  }
  return key;
}
