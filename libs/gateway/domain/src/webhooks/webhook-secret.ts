import { randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A Standard Webhooks secret: whsec_ and 32 random bytes in base64 (what the library takes). */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The longest overlap of a rotated secret with its successor. */
export const SECRET_OVERLAP_SECONDS_MAX = 7 * 24 * 3_600;
export const SECRET_OVERLAP_SECONDS_DEFAULT = 24 * 3_600;
