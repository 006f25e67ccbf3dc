import { createHash, timingSafeEqual } from 'node:crypto';

export type InternalApiAccess = 'allowed' | 'disabled' | 'unauthenticated';

/** Digests of equal length, so comparing them takes the same time whatever the token. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Decides a request to the operator endpoints from its Authorization header. With no key
 * configured nobody is let in: the endpoints listen on every interface in containers, so open must
 * never be the default.
 */
export class InternalApiKey {
  private readonly expected: Buffer | null;

  constructor(apiKey: string | null) {
    this.expected = apiKey === null ? null : digest(apiKey);
  }

  access(authorization: string | undefined): InternalApiAccess {
    if (this.expected === null) return 'disabled';
    const match = /^Bearer ([\x21-\x7e]{1,500})$/.exec(authorization ?? '');
    const matches = match !== null && timingSafeEqual(digest(match[1]), this.expected);
    return matches ? 'allowed' : 'unauthenticated';
  }
}
