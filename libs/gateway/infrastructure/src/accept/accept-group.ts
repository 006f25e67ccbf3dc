import { EntityManager } from 'typeorm';
import { preparedQueryIn } from '@rtp/shared/database';
import { AcceptResult, PaymentAcceptRequest } from '@rtp/gateway/application';
import { CommittedCommand } from '../committed-publisher';
import { ACCEPT_GROUP, LOCK_KEYS, keyLockName } from './accept-group.sql';

export interface GroupAccepted {
  results: AcceptResult[];
  committed: CommittedCommand[];
}

interface GroupRow {
  ord: number;
  claimed: boolean;
  permitted: boolean;
  fingerprint: string | null;
  resource_id: string | null;
  outbox_id: string | null;
}

const IN_FLIGHT: AcceptResult = { claimed: false, inFlight: true };

/**
 * Inside the caller's transaction: accepts every request of a group that it can, and says for
 * each of the others why not. Two requests of one group with the same key are concurrent requests:
 * the first goes on; a later one answers in flight (409), as it would against another
 * transaction, unless the key was already bound before this group (then it learns the binding
 * too, and replays or is refused by its own fingerprint).
 * `publishedOutboxIds` are outbox rows confirmed published since the last group, marked on the way.
 */
export async function acceptGroup(
  manager: EntityManager,
  requests: readonly PaymentAcceptRequest[],
  publishedOutboxIds: string[],
): Promise<GroupAccepted> {
  const results: AcceptResult[] = requests.map(() => IN_FLIGHT);
  const firstWithKey = new Map<string, number>();
  const laterWithKey: [index: number, first: number][] = [];
  requests.forEach(({ claim }, index) => {
    const name = keyLockName(claim.clientId, claim.idempotencyKey);
    const first = firstWithKey.get(name);
    if (first !== undefined) {
      laterWithKey.push([index, first]);
      return;
    }
    firstWithKey.set(name, index);
  });
  const candidates = [...firstWithKey.values()];
  // Prepared on the transaction's connection: the group statement is large, and planning it for
  // every group cost PostgreSQL more than running it.
  const sql = await preparedQueryIn(manager);
  const locks = (await sql(LOCK_KEYS, [[...firstWithKey.keys()]])) as { locked: boolean }[];
  const locked = candidates.filter((_, position) => locks[position].locked);
  const rows: GroupRow[] =
    locked.length === 0 && publishedOutboxIds.length === 0
      ? []
      : ((await sql(ACCEPT_GROUP, [
          ...groupColumns(locked.map((index) => requests[index])),
          publishedOutboxIds,
          locked.map((index) => {
            const payout = requests[index].payout;
            return payout ? JSON.stringify(payout) : null;
          }),
        ])) as unknown as GroupRow[]);
  const committed: CommittedCommand[] = [];
  for (const row of rows) {
    const index = locked[row.ord - 1];
    results[index] = resultOf(row);
    if (row.claimed && row.outbox_id !== null) {
      committed.push({ outboxId: row.outbox_id, command: requests[index].command });
    }
  }
  for (const [index, first] of laterWithKey) {
    const bound = results[first];
    if (!bound.claimed && !bound.inFlight && 'fingerprint' in bound) results[index] = bound;
  }
  return { results, committed };
}

function resultOf(row: GroupRow): AcceptResult {
  if (row.claimed) return { claimed: true };
  if (!row.permitted) return { claimed: false, inFlight: false, creditRefused: true };
  // Not claimed, yet not in the snapshot: only a writer that skipped the lock could cause it.
  // In flight is the answer that is safe to retry.
  if (row.fingerprint === null || row.resource_id === null) return IN_FLIGHT;
  return {
    claimed: false,
    inFlight: false,
    fingerprint: row.fingerprint,
    resourceId: row.resource_id,
  };
}

/** The group as one array per column, in ACCEPT_GROUP's parameter order ($1 to $22; $24 apart). */
function groupColumns(requests: readonly PaymentAcceptRequest[]): unknown[][] {
  const json = (value: object | null) => (value === null ? null : JSON.stringify(value));
  const column = (pick: (request: PaymentAcceptRequest) => unknown) => requests.map(pick);
  return [
    column((r) => r.claim.clientId),
    column((r) => r.claim.idempotencyKey),
    column((r) => r.claim.operation),
    column((r) => r.claim.fingerprint),
    column((r) => r.payment.id),
    column((r) => r.claim.expiresAt),
    column((r) => r.creditConsent?.accountId ?? null),
    column((r) => r.creditConsent?.ownerClientId ?? null),
    column((r) => r.payment.kind),
    column((r) => r.payment.clientId),
    column((r) => r.payment.sourceAccountId),
    column((r) => r.payment.destinationAccountId),
    column((r) => r.payment.amountMinor),
    column((r) => r.payment.currency),
    column((r) => r.payment.reference),
    column((r) => json(r.payment.metadata)),
    column((r) => r.payment.createdAt),
    column((r) => r.command.topic),
    column((r) => r.command.key),
    column((r) => r.command.messageId),
    column((r) => r.command.messageType),
    column((r) => json(r.command.payload)),
  ];
}
