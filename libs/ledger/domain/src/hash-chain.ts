import { createHash } from 'node:crypto';
import { canonicalJson } from '@rtp/contracts';

export interface ChainedEvent {
  eventId: string;
  accountId: string;
  sequence: number;
  type: string;
  data: unknown;
}

/**
 * Each account's events form a hash chain: an event's hash covers the previous hash and the event's
 * identity, position and canonical content. Changing, removing or reordering any stored event breaks
 * every later hash of that account. Chains are per account, so no global lock is needed.
 */
export function chainHash(previousHash: string, event: ChainedEvent): string {
  return chainLink(previousHash, event, canonicalJson(event.data));
}

/** chainHash for an event whose data is serialised already: `canonicalData` is its canonicalJson. */
export function chainLink(
  previousHash: string,
  event: Omit<ChainedEvent, 'data'>,
  canonicalData: string,
): string {
  return createHash('sha256')
    .update(previousHash)
    .update('\n')
    .update(`${event.accountId}\n${event.sequence}\n${event.eventId}\n${event.type}\n`)
    .update(canonicalData)
    .digest('hex');
}
