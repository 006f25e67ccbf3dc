import { EntityManager } from 'typeorm';
import { LedgerEvent } from '@rtp/contracts';

const ACCOUNT_ACTIONS = new Set(['FreezeAccount', 'UnfreezeAccount']);

/** The account a freeze or unfreeze event is about, and the code when the ledger refused it. */
function actionOf(event: LedgerEvent): { accountId: string; failureCode: string | null } | null {
  switch (event.type) {
    case 'AccountFrozen':
    case 'AccountUnfrozen':
      return { accountId: event.data.accountId, failureCode: null };
    case 'AccountCommandRejected':
      return ACCOUNT_ACTIONS.has(event.data.commandType)
        ? { accountId: event.data.accountId, failureCode: event.data.failureCode } : null;
    default:
      return null;
  }
}

/**
 * Records the outcome of a freeze or unfreeze under its command id (the event's causation id),
 * once, with the account's state as the event left it. Runs after the event's own projection, in
 * the same transaction; every change of an account comes from its own partition, in order, so the
 * account row read here is exactly the state after this event. Returns the command id, to wake
 * its request.
 */
export async function projectAccountActionOutcome(
  manager: EntityManager, event: LedgerEvent, commandId: string | null, occurredAt: Date,
): Promise<string[]> {
  const action = actionOf(event);
  if (!action || commandId === null) return [];
  await manager.query(
    `INSERT INTO gateway.account_action_outcomes (command_id, account_id, event_type, failure_code,
       status, freeze_mode, posted_minor, pending_minor, last_sequence, occurred_at)
     SELECT $1, $2, $3, $4, a.status, a.freeze_mode, a.posted_minor, a.pending_minor,
       a.last_sequence, $5
     FROM (SELECT 1) AS one LEFT JOIN gateway.accounts a ON a.account_id = $2
     ON CONFLICT (command_id) DO NOTHING`,
    [commandId, action.accountId, event.type, action.failureCode, occurredAt],
  );
  return [commandId];
}
