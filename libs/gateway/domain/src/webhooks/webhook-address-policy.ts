import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may be sent (SSRF): only to public addresses. Every address a URL's host
 * resolves to is checked, at registration and again at every delivery, because a name that was
 * public yesterday may point inside the network today (DNS rebinding).
 */
const FORBIDDEN_RANGES: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'ipv4', 'documentation'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'documentation'],
  ['203.0.113.0', 24, 'ipv4', 'documentation'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['64:ff9b:1::', 48, 'ipv6', 'local-use translation'],
  ['100::', 64, 'ipv6', 'discard-only'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['fc00::', 7, 'ipv6', 'unique local (private)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

/** Cloud metadata services: named apart, since they are the usual target. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** An IPv6 form of an IPv4 address (::ffff:a.b.c.d, the NAT64 64:ff9b::/96): its IPv4 address. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

function normalised(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 0) return null;
  const ipv4 = version === 6 ? embeddedIpv4(bare) : null;
  if (ipv4) return { address: ipv4, family: 'ipv4' };
  return { address: bare.toLowerCase(), family: version === 4 ? 'ipv4' : 'ipv6' };
}

export interface AddressPolicy {
  /** Development only: loopback addresses are allowed (and plain http to them). */
  allowLoopback: boolean;
}

export function isLoopbackAddress(address: string): boolean {
  const parsed = normalised(address);
  return parsed !== null && LOOPBACK.check(parsed.address, parsed.family);
}

/** Why a webhook may not be sent to this address, or null when it may. */
export function forbiddenAddressReason(address: string, policy: AddressPolicy): string | null {
  const parsed = normalised(address);
  if (!parsed) return `${address} is not an IP address`;
  if (METADATA_ADDRESSES.has(parsed.address)) return `${address} is a cloud metadata address`;
  if (policy.allowLoopback && LOOPBACK.check(parsed.address, parsed.family)) return null;
  for (const [network, prefix, family, name] of FORBIDDEN_RANGES) {
    if (family !== parsed.family) continue;
    const range = new BlockList();
    range.addSubnet(network, prefix, family);
    if (range.check(parsed.address, family)) return `${address} is a ${name} address`;
  }
  return null;
}
