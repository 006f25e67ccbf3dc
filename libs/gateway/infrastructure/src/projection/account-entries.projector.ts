import { EntityManager } from 'typeorm';
import { preparedQueryIn } from '@rtp/shared/database';
import { LedgerEvent } from '@rtp/contracts';
import { accountIdOf } from './account-changes';

/** A balance change of an account, keyed by its account sequence, with the balance after it. */
export interface AccountEntry {
  accountId: string;
  sequence: number;
  eventType: string;
  paymentId: string | null;
  postedChangeMinor: string;
  pendingChangeMinor: string;
  postedAfterMinor: string;
  pendingAfterMinor: string;
  occurredAt: Date;
}

interface Change {
  paymentId: string | null;
  postedMinor: bigint;
  pendingMinor: bigint;
}

/** How an event moved its account's posted and pending balances; null when it moved none. */
function changeOf(event: LedgerEvent): Change | null {
  switch (event.type) {
    case 'DepositCompleted':
      return posted(event.data.depositId, BigInt(event.data.amountMinor));
    case 'TransferDebited':
      return posted(event.data.paymentId, -BigInt(event.data.amountMinor));
    case 'TransferCompleted':
    case 'TransferRefunded':
    case 'PayoutReturned':
      return posted(event.data.paymentId, BigInt(event.data.amountMinor));
    case 'PayoutReserved':
      return pending(event.data.paymentId, BigInt(event.data.amountMinor));
    case 'PayoutReleased':
      return pending(event.data.paymentId, -BigInt(event.data.amountMinor));
    case 'PayoutSettled': {
      const amount = BigInt(event.data.amountMinor);
      return { paymentId: event.data.paymentId, postedMinor: -amount, pendingMinor: -amount };
    }
    case 'AccountAdjusted':
      return posted(event.data.adjustmentId, BigInt(event.data.amountMinor));
    default:
      return null;
  }
}

function posted(paymentId: string, amountMinor: bigint): Change {
  return { paymentId, postedMinor: amountMinor, pendingMinor: 0n };
}

function pending(paymentId: string, amountMinor: bigint): Change {
  return { paymentId, postedMinor: 0n, pendingMinor: amountMinor };
}

/**
 * The entry a balance-changing event adds to its account; null for any other event. The entry
 * carries the balance after it, so a balance as of any instant is one indexed lookup.
 */
export function accountEntryOf(event: LedgerEvent, occurredAt: Date): AccountEntry | null {
  const change = changeOf(event);
  if (!change || !('balance' in event.data)) return null;
  const { accountSequence, balance } = event.data;
  return {
    accountId: accountIdOf(event),
    sequence: accountSequence,
    eventType: event.type,
    paymentId: change.paymentId,
    postedChangeMinor: change.postedMinor.toString(),
    pendingChangeMinor: change.pendingMinor.toString(),
    postedAfterMinor: balance.postedMinor,
    pendingAfterMinor: balance.pendingMinor,
    occurredAt,
  };
}

/** Records the entries, each once: an (account, sequence) already recorded is left as it is. */
export async function writeAccountEntries(
  manager: EntityManager,
  entries: readonly AccountEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await (
    await preparedQueryIn(manager)
  )(
    `INSERT INTO gateway.account_entries (account_id, sequence, event_type, payment_id,
       posted_change_minor, pending_change_minor, posted_after_minor, pending_after_minor,
       occurred_at)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[],
       $6::bigint[], $7::bigint[], $8::bigint[], $9::timestamptz[])
     ON CONFLICT (account_id, sequence) DO NOTHING`,
    [
      entries.map((e) => e.accountId),
      entries.map((e) => e.sequence),
      entries.map((e) => e.eventType),
      entries.map((e) => e.paymentId),
      entries.map((e) => e.postedChangeMinor),
      entries.map((e) => e.pendingChangeMinor),
      entries.map((e) => e.postedAfterMinor),
      entries.map((e) => e.pendingAfterMinor),
      entries.map((e) => e.occurredAt.toISOString()),
    ],
  );
}
