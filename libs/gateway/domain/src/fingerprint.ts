import { createHash } from 'node:crypto';

/** Serialises with sorted keys so that the same request always gives the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The request an idempotency key was first used with, reduced to a comparable digest. */
export function requestFingerprint(operation: string, request: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(canonical(request)).digest('hex');
}
