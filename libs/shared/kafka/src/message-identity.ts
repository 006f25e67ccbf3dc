import { createHash } from 'node:crypto';

interface IdentifiableMessage {
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

/**
 * What identifies a message in a log: its CloudEvents id header when it has one, otherwise a hash
 * of its bytes. Stored with a consumer's position, it tells on reassignment whether the log under the
 * position is still the one the position was taken on (a topic deleted and created again keeps its
 * name and restarts at offset 0, so offsets alone cannot tell).
 */
export function messageIdentity(message: IdentifiableMessage): string {
  const header = message.headers?.['ce-id'];
  const id = Array.isArray(header) ? header[0] : header;
  if (id !== undefined && id.length > 0) return `id:${id.toString()}`;
  return `sha256:${createHash('sha256')
    .update(message.value ?? Buffer.alloc(0))
    .digest('hex')}`;
}
