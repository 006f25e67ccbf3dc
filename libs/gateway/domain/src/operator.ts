import { ADMIN_CLIENT_ID, Principal } from './api-key';

/**
 * Named operators: admins with keys of their own, created by the bootstrap admin key
 * (ADMIN_API_KEY), so that every review action names the person who took it and maker-checker has
 * two distinct actors. An operator is a client whose id is `operator:<name>` and whose key has the
 * admin scope only; the name is the actor of every action taken with that key.
 */
export const OPERATOR_CLIENT_PREFIX = 'operator:';

/** Lower case letters, digits, `.`, `_`, `-`; starts with a letter; 2 to 64 characters. */
export const OPERATOR_NAME_PATTERN = /^[a-z][a-z0-9._-]{1,63}$/;

export function operatorClientId(name: string): string {
  return `${OPERATOR_CLIENT_PREFIX}${name}`;
}

/** The operator's name, the actor of their actions; null for any other principal. */
export function operatorOf(principal: Principal): string | null {
  if (!principal.clientId.startsWith(OPERATOR_CLIENT_PREFIX)) return null;
  return principal.clientId.slice(OPERATOR_CLIENT_PREFIX.length);
}

/** The bootstrap admin (the configured key), the only one who creates operators. */
export function isBootstrapAdmin(principal: Principal): boolean {
  return principal.clientId === ADMIN_CLIENT_ID;
}
