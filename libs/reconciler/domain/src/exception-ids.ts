import { createHash } from 'node:crypto';
import { ExceptionClass } from '@rtp/contracts';

const ID_LENGTH_MAX = 200;

/** A readable id while it fits, its digest when a long line id would make it exceed the limit. */
function boundedId(prefix: string, key: string): string {
  const readable = `${prefix}:${key}`;
  if (readable.length <= ID_LENGTH_MAX) return readable;
  return `${prefix}:sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** One exception per class and record (or bank line): finding it again on a re-run is no new one. */
export const exceptionIdOf = (partnerId: string, exceptionClass: ExceptionClass, key: string) =>
  boundedId(`exception:${partnerId}:${exceptionClass}`, key);

/** One tolerated difference per record: a re-run books nothing new. */
export const toleratedDifferenceIdOf = (partnerId: string, recordId: string) =>
  boundedId(`tolerated:${partnerId}`, recordId);

/** The difference an approved resolution books. */
export const resolutionDifferenceIdOf = (exceptionId: string) =>
  boundedId('resolution', exceptionId);

/**
 * A run's id is the digest of what it found: a re-run of a day that finds the same is the same
 * run (nothing new is written or published); one that finds something else is a new run.
 */
export function runIdOf(partnerId: string, date: string, fingerprint: readonly string[]): string {
  const digest = createHash('sha256');
  for (const part of fingerprint) digest.update(part).update('\n');
  return `run:${partnerId}:${date}:${digest.digest('hex').slice(0, 24)}`;
}
