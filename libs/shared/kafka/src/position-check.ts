/** A consumer's position as its own database stores it. */
export interface StoredPosition {
  nextOffset: bigint;
  /** Identity of the message just before nextOffset (see messageIdentity); null when unknown. */
  lastMessageIdentity: string | null;
}

export type PositionVerdict =
  | { kind: 'ok' }
  /** Read the message at `offset` and compare its identity with the stored one before going on. */
  | { kind: 'verify'; offset: bigint; identity: string }
  | { kind: 'stop'; reason: string };

/**
 * Checks a stored position against the partition's log on assignment. A position beyond the log's
 * end, or below its start, means the log is not the one the position was taken on (or messages were
 * deleted before they were processed): consuming would skip messages silently, so the partition
 * stops until an operator decides.
 */
export function checkStoredPosition(
  stored: StoredPosition,
  logStart: bigint,
  logEnd: bigint,
): PositionVerdict {
  const { nextOffset } = stored;
  if (nextOffset > logEnd) {
    return {
      kind: 'stop',
      reason:
        `stored position ${nextOffset} is beyond the log end ${logEnd}: the log ` +
        'is not the one the position was taken on (topic recreated or broker data lost)',
    };
  }
  if (nextOffset < logStart) {
    return {
      kind: 'stop',
      reason:
        `stored position ${nextOffset} is below the log start ${logStart}: ` +
        `messages ${nextOffset}..${logStart - 1n} were deleted before they were processed`,
    };
  }
  if (stored.lastMessageIdentity !== null && nextOffset > 0n && nextOffset - 1n >= logStart) {
    return { kind: 'verify', offset: nextOffset - 1n, identity: stored.lastMessageIdentity };
  }
  return { kind: 'ok' };
}

/** Compares the message found at the verified offset with the stored identity. */
export function checkIdentity(
  expected: string,
  found: string | null,
  offset: bigint,
): PositionVerdict {
  if (found === expected) return { kind: 'ok' };
  return {
    kind: 'stop',
    reason:
      found === null
        ? `the message at offset ${offset} before the stored position is missing from the log`
        : `the message at offset ${offset} is not the one the stored position was taken after: the log ` +
          'was replaced (topic recreated or broker data lost)',
  };
}
