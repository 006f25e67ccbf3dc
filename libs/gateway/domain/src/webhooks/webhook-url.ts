import { AddressPolicy, forbiddenAddressReason, isLoopbackAddress } from './webhook-address-policy';

export const WEBHOOK_URL_LENGTH_MAX = 2_000;

export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * The URL's own rules, before any name is resolved: https only (plain http only to a loopback
 * host, and only when the development setting allows loopback), no credentials in it, no
 * fragment, and a host that is an IP literal must be an allowed address.
 */
export function checkWebhookUrl(text: string, policy: AddressPolicy): WebhookUrlCheck {
  if (text.length > WEBHOOK_URL_LENGTH_MAX) {
    return { ok: false, reason: `longer than ${WEBHOOK_URL_LENGTH_MAX} characters` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'credentials in the URL' };
  if (url.hash) return { ok: false, reason: 'a fragment in the URL' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'http:') {
    const loopbackHost = host === 'localhost' || isLoopbackAddress(host);
    if (!(policy.allowLoopback && loopbackHost)) {
      return { ok: false, reason: 'only https URLs (plain http only to loopback in development)' };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, reason: 'only https URLs' };
  }
  const literalReason = isIpLiteral(host) ? forbiddenAddressReason(host, policy) : null;
  if (literalReason) return { ok: false, reason: literalReason };
  return { ok: true, url };
}

export function isIpLiteral(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

/**
 * Why the host's resolved addresses may not be used (every one must be allowed), or null. Plain
 * http (development only) must resolve to loopback only.
 */
export function forbiddenResolution(
  host: string,
  addresses: readonly string[],
  policy: AddressPolicy,
  plainHttp = false,
): string | null {
  if (addresses.length === 0) return `${host} resolves to no address`;
  for (const address of addresses) {
    const reason = forbiddenAddressReason(address, policy);
    if (reason) return `${host} resolves to ${reason.replace(/^\S+ is /, 'an address that is ')}`;
    if (plainHttp && !isLoopbackAddress(address)) {
      return `${host} resolves to ${address}: plain http goes to loopback only`;
    }
  }
  return null;
}
