import { parseLedgerEvent } from '@rtp/contracts';
import { AccountState } from './account';
import { evolve } from './evolve';
import { chainHash } from './hash-chain';
import { InvariantViolation } from './invariants';

/** One event as its account's stream stores it: `data` is the stored JSON, parsed. */
export interface StoredStreamEvent {
  eventId: string;
  accountId: string;
  /** Null for an event outside every stream: it is not part of the rebuild. */
  sequence: number | null;
  type: string;
  data: unknown;
  hash: string | null;
}

/**
 * An account rebuilt from its stored events alone, by the domain's own `evolve`: each event parsed
 * by its contract, folded in sequence order, its hash-chain link computed again and checked against
 * the stored one (so the result's `lastHash` is the chain's head). Null for an empty stream. A stored
 * event that breaks its contract, the stream or the chain is an InvariantViolation naming it.
 */
export function rebuildAccount(events: StoredStreamEvent[]): AccountState | null {
  const stream = events
    .filter((event) => event.sequence !== null)
    .sort((first, second) => first.sequence! - second.sequence!);
  let state: AccountState | null = null;
  for (const stored of stream) {
    const event = parseLedgerEvent(stored.type, stored.data);
    if (!event || event.data.accountSequence !== stored.sequence) {
      throw new InvariantViolation(
        'StoredEventMatchesContract',
        `${stored.accountId} event ${stored.sequence} (${stored.type})`,
      );
    }
    const next = evolve(state, event);
    if (!next) continue;
    const hash = chainHash(state?.lastHash ?? '', {
      eventId: stored.eventId,
      accountId: stored.accountId,
      sequence: stored.sequence!,
      type: stored.type,
      data: stored.data,
    });
    if (hash !== stored.hash) {
      throw new InvariantViolation(
        'HashChainHolds',
        `${stored.accountId} event ${stored.sequence}`,
      );
    }
    state = { ...next, lastHash: hash };
  }
  return state;
}

/**
 * How an account's stored state (its balance row and open holds) differs from the state its stored
 * events rebuild, or null when they agree: a list of the fields that differ, or why the events
 * cannot be folded at all.
 */
export function disagreementWithEvents(
  stored: AccountState,
  events: StoredStreamEvent[],
): string | null {
  let rebuilt: AccountState | null;
  try {
    rebuilt = rebuildAccount(events);
  } catch (error) {
    if (error instanceof InvariantViolation) return `${stored.accountId}: ${error.message}`;
    throw error;
  }
  if (!rebuilt) return `${stored.accountId}: no events`;
  const fields = comparable(stored);
  const folded = comparable(rebuilt);
  const differing = Object.keys(fields).filter((field) => fields[field] !== folded[field]);
  if (differing.length === 0) return null;
  const told = differing.map((field) => `${field} ${fields[field]}, events ${folded[field]}`);
  return `${stored.accountId}: ${told.join('; ')}`;
}

function comparable(account: AccountState): Record<string, string> {
  const holds = [...account.holds]
    .map(([holdId, hold]) => `${holdId}=${hold.amountMinor}@${hold.partnerId}`)
    .sort();
  return {
    currency: account.currency,
    kind: account.kind,
    status: account.status,
    freeze: account.freeze,
    postedMinor: String(account.postedMinor),
    pendingMinor: String(account.pendingMinor),
    availableMinor: String(account.postedMinor - account.pendingMinor),
    overdraftLimitMinor: String(account.overdraftLimitMinor),
    perDebitLimitMinor: String(account.perDebitLimitMinor),
    holds: holds.join(','),
    sequence: String(account.sequence),
    lastHash: account.lastHash,
  };
}
