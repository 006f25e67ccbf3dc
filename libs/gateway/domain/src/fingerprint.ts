import { createHash } from 'node:crypto';
import { canonicalJson } from '@rtp/contracts';

/** The request an idempotency key was first used with, reduced to a comparable digest. */
export function requestFingerprint(operation: string, request: unknown): string {
  return createHash('sha256')
    .update(operation)
    .update('\n')
    .update(canonicalJson(request))
    .digest('hex');
}
