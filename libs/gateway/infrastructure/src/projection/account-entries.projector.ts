import { EntityManager } from 'typeorm';
import { LedgerEvent } from '@rtp/contracts';

interface Change {
  paymentId: string | null;
  postedMinor: bigint;
  pendingMinor: bigint;
}

/** How an event moved its account's posted and pending balances; null when it moved none. */
function changeOf(event: LedgerEvent): Change | null {
  switch (event.type) {
    case 'DepositCompleted':
      return { paymentId: event.data.depositId, postedMinor: BigInt(event.data.amountMinor), pendingMinor: 0n };
    case 'TransferDebited':
      return { paymentId: event.data.paymentId, postedMinor: -BigInt(event.data.amountMinor), pendingMinor: 0n };
    case 'TransferCompleted':
    case 'TransferRefunded':
      return { paymentId: event.data.paymentId, postedMinor: BigInt(event.data.amountMinor), pendingMinor: 0n };
    case 'PayoutReserved':
      return { paymentId: event.data.paymentId, postedMinor: 0n, pendingMinor: BigInt(event.data.amountMinor) };
    case 'PayoutReleased':
      return { paymentId: event.data.paymentId, postedMinor: 0n, pendingMinor: -BigInt(event.data.amountMinor) };
    case 'PayoutSettled': {
      const amount = BigInt(event.data.amountMinor);
      return { paymentId: event.data.paymentId, postedMinor: -amount, pendingMinor: -amount };
    }
    case 'AccountAdjusted':
      return { paymentId: event.data.adjustmentId, postedMinor: BigInt(event.data.amountMinor), pendingMinor: 0n };
    default:
      return null;
  }
}

/**
 * Records a balance-changing event as an entry of its account, once (keyed by account sequence).
 * The entry carries the balance after it, so a balance as of any instant is one indexed lookup.
 */
export async function projectAccountEntry(manager: EntityManager, event: LedgerEvent, occurredAt: Date): Promise<void> {
  const change = changeOf(event);
  if (!change || !('balance' in event.data)) return;
  const accountId = event.type === 'TransferCompleted' ? event.data.destinationAccountId
    : 'sourceAccountId' in event.data ? event.data.sourceAccountId : event.data.accountId;
  await manager.query(
    `INSERT INTO gateway.account_entries (account_id, sequence, event_type, payment_id, posted_change_minor,
       pending_change_minor, posted_after_minor, pending_after_minor, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (account_id, sequence) DO NOTHING`,
    [accountId, event.data.accountSequence, event.type, change.paymentId, change.postedMinor.toString(),
      change.pendingMinor.toString(), event.data.balance.postedMinor, event.data.balance.pendingMinor, occurredAt],
  );
}
