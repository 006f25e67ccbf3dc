import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'rtp_';

/** 256 random bits: a key needs no slow hash, only one that cannot be reversed. */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

export function sameKeyHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export type Scope = 'admin' | 'payments';

export interface Principal {
  clientId: string;
  scopes: Scope[];
}

export const ADMIN_CLIENT_ID = 'admin';

export function isAdmin(principal: Principal): boolean {
  return principal.scopes.includes('admin');
}
