import { EntityManager } from 'typeorm';
import { BalanceSnapshot, LedgerEvent } from '@rtp/contracts';

interface PaymentUpsert {
  paymentId: string;
  kind: 'transfer' | 'deposit';
  clientId: string | null;
  sourceAccountId: string | null;
  destinationAccountId: string;
  amountMinor: string;
  currency: string;
  status: 'processing' | 'completed' | 'rejected';
  failureCode: string | null;
  /** Which leg refused a rejected transfer; null for anything else. */
  failedLeg: 'debit' | 'credit' | null;
  reference: string | null;
  metadata: Record<string, string> | null;
}

/**
 * Applies one ledger event to the read models. Every write is idempotent and order-tolerant: balances
 * move only forward in account sequence, and a payment's status only leaves `processing` once. Events
 * of one payment arrive on different partitions, so no order between them is assumed.
 * Returns the ids whose read model changed, for waiting requests to be woken.
 */
export async function projectLedgerEvent(manager: EntityManager, event: LedgerEvent, at: Date): Promise<string[]> {
  switch (event.type) {
    case 'AccountOpened': {
      const d = event.data;
      await manager.query(
        `INSERT INTO gateway.accounts (account_id, client_id, currency, name, metadata, status, created_at,
           updated_at, last_sequence) VALUES ($1, $2, $3, $4, $5, 'active', $6, $6, $7)
         ON CONFLICT (account_id) DO UPDATE SET status = CASE WHEN gateway.accounts.status = 'opening'
           THEN 'active' ELSE gateway.accounts.status END, updated_at = $6,
           last_sequence = GREATEST(gateway.accounts.last_sequence, $7)`,
        [d.accountId, d.ownerId, d.currency, d.name, d.metadata === null ? null : JSON.stringify(d.metadata),
          at, d.accountSequence],
      );
      return [d.accountId];
    }
    case 'AccountOpenRejected': {
      await manager.query(
        `UPDATE gateway.accounts SET status = 'rejected', failure_code = $2, updated_at = $3
         WHERE account_id = $1 AND status = 'opening'`,
        [event.data.accountId, event.data.failureCode, at],
      );
      return [event.data.accountId];
    }
    case 'DepositCompleted':
    case 'DepositRejected': {
      const d = event.data;
      const completed = event.type === 'DepositCompleted';
      if (completed) await updateBalance(manager, d.accountId, event.data.balance, event.data.accountSequence, at);
      await upsertPayment(manager, at, {
        paymentId: d.depositId, kind: 'deposit', clientId: 'admin', sourceAccountId: null,
        destinationAccountId: d.accountId, amountMinor: d.amountMinor, currency: d.currency,
        status: completed ? 'completed' : 'rejected',
        failureCode: completed ? null : event.data.failureCode, failedLeg: null,
        reference: event.data.reference ?? null, metadata: null,
      });
      return [d.depositId, d.accountId];
    }
    case 'TransferDebited':
    case 'TransferRejected': {
      const d = event.data;
      const debited = event.type === 'TransferDebited';
      if (debited) await updateBalance(manager, d.sourceAccountId, event.data.balance, event.data.accountSequence, at);
      await upsertPayment(manager, at, {
        ...transfer(d), clientId: d.initiatedBy, status: debited ? 'processing' : 'rejected',
        failureCode: debited ? null : event.data.failureCode, failedLeg: debited ? null : 'debit',
        reference: event.data.reference ?? null, metadata: event.data.metadata ?? null,
      });
      return [d.paymentId, d.sourceAccountId];
    }
    case 'AccountFrozen':
    case 'AccountUnfrozen':
    case 'AccountClosed': {
      const d = event.data;
      const freeze = event.type === 'AccountClosed' ? null : event.data.freeze;
      const status = event.type === 'AccountClosed' ? 'closed' : freeze === 'none' ? 'active' : 'frozen';
      await manager.query(
        `UPDATE gateway.accounts SET status = $2, freeze_mode = COALESCE($5, freeze_mode), last_sequence = $3,
           updated_at = $4 WHERE account_id = $1 AND last_sequence < $3`,
        [d.accountId, status, d.accountSequence, at, freeze],
      );
      return [d.accountId];
    }
    case 'PayoutReserved':
    case 'PayoutSettled':
    case 'PayoutReleased':
    case 'AccountAdjusted':
      // Payouts become payments with the partner-adapter issue; until then only balances move.
      await updateBalance(manager, event.data.accountId, event.data.balance, event.data.accountSequence, at);
      return [event.data.accountId];
    case 'PayoutRejected':
    case 'AccountCommandRejected':
      // The refusal still takes a place in the account's stream: waiting requests see it move.
      if (event.data.accountSequence !== null) {
        await manager.query(
          `UPDATE gateway.accounts SET last_sequence = $2, updated_at = $3 WHERE account_id = $1 AND last_sequence < $2`,
          [event.data.accountId, event.data.accountSequence, at]);
      }
      return [event.data.accountId];
    case 'TransferCompleted':
    case 'TransferRefunded': {
      const d = event.data;
      const completed = event.type === 'TransferCompleted';
      const accountId = completed ? d.destinationAccountId : d.sourceAccountId;
      await updateBalance(manager, accountId, d.balance, d.accountSequence, at);
      await upsertPayment(manager, at, {
        ...transfer(d), clientId: null, status: completed ? 'completed' : 'rejected',
        failureCode: completed ? null : event.data.failureCode,
        failedLeg: completed ? null : 'credit',
        reference: null, metadata: null,
      });
      return [d.paymentId, accountId];
    }
  }
}

function transfer(d: { paymentId: string; sourceAccountId: string; destinationAccountId: string;
  amountMinor: string; currency: string }) {
  return {
    paymentId: d.paymentId, kind: 'transfer' as const, sourceAccountId: d.sourceAccountId,
    destinationAccountId: d.destinationAccountId, amountMinor: d.amountMinor, currency: d.currency,
  };
}

async function updateBalance(
  manager: EntityManager, accountId: string, balance: BalanceSnapshot, sequence: number, at: Date,
): Promise<void> {
  await manager.query(
    `UPDATE gateway.accounts SET posted_minor = $2, pending_minor = $3, last_sequence = $4, updated_at = $5
     WHERE account_id = $1 AND last_sequence < $4`,
    [accountId, balance.postedMinor, balance.pendingMinor, sequence, at],
  );
}

async function upsertPayment(manager: EntityManager, at: Date, p: PaymentUpsert): Promise<void> {
  await manager.query(
    `INSERT INTO gateway.payments AS p (payment_id, kind, client_id, source_account_id, destination_account_id,
       amount_minor, currency, status, failure_code, reference, metadata, created_at, updated_at,
       failed_leg)
     VALUES ($1, $2, COALESCE($3, ''), $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)
     ON CONFLICT (payment_id) DO UPDATE SET
       client_id = CASE WHEN p.client_id = '' THEN EXCLUDED.client_id ELSE p.client_id END,
       reference = COALESCE(p.reference, EXCLUDED.reference),
       metadata = COALESCE(p.metadata, EXCLUDED.metadata),
       failure_code = CASE WHEN p.status = 'processing' THEN EXCLUDED.failure_code ELSE p.failure_code END,
       failed_leg = CASE WHEN p.status = 'processing' THEN EXCLUDED.failed_leg
         ELSE p.failed_leg END,
       status = CASE WHEN p.status = 'processing' THEN EXCLUDED.status ELSE p.status END,
       updated_at = EXCLUDED.updated_at`,
    [p.paymentId, p.kind, p.clientId, p.sourceAccountId, p.destinationAccountId, p.amountMinor, p.currency,
      p.status, p.failureCode, p.reference, p.metadata === null ? null : JSON.stringify(p.metadata),
      at, p.failedLeg],
  );
}
