import { EntityManager } from 'typeorm';
import { LedgerEvent } from '@rtp/contracts';
import { AccountChange } from './account-changes';
import {
  COLUMNS_AFTER_CHANGE,
  changeColumns,
  changeParameters,
} from './account-changes.statements';

const ACCOUNT_ACTIONS = new Set(['FreezeAccount', 'UnfreezeAccount']);

/**
 * The outcome of a freeze or unfreeze command, keyed by the command id (the event's causation id).
 * `accountChange` is what this transaction's events of the account, up to and including this one,
 * did to its row: with the row as it was before them it gives the state this event left.
 */
export interface ActionOutcome {
  commandId: string;
  accountId: string;
  eventType: string;
  failureCode: string | null;
  occurredAt: Date;
  accountChange: AccountChange | null;
}

/** The account a freeze or unfreeze event is about, and the code when the ledger refused it. */
function actionOf(event: LedgerEvent): { accountId: string; failureCode: string | null } | null {
  switch (event.type) {
    case 'AccountFrozen':
    case 'AccountUnfrozen':
      return { accountId: event.data.accountId, failureCode: null };
    case 'AccountCommandRejected':
      return ACCOUNT_ACTIONS.has(event.data.commandType)
        ? { accountId: event.data.accountId, failureCode: event.data.failureCode }
        : null;
    default:
      return null;
  }
}

/** The outcome an event records; null when it is not a freeze or unfreeze with a command id. */
export function actionOutcomeOf(
  event: LedgerEvent,
  commandId: string | null,
  occurredAt: Date,
  accountChange: AccountChange | null,
): ActionOutcome | null {
  const action = actionOf(event);
  if (!action || commandId === null) return null;
  return { commandId, ...action, eventType: event.type, occurredAt, accountChange };
}

/**
 * Records each outcome once, with the account's state as its event left it. Runs after the
 * accounts' openings and before their changes are written: the row read here is the state before
 * this transaction's changes, which the outcome's own change brings up to its event.
 */
export async function writeActionOutcomes(
  manager: EntityManager,
  outcomes: readonly ActionOutcome[],
): Promise<void> {
  if (outcomes.length === 0) return;
  const after = COLUMNS_AFTER_CHANGE;
  const columns = changeColumns(6);
  await manager.query(
    `INSERT INTO gateway.account_action_outcomes (command_id, account_id, event_type, failure_code,
       status, freeze_mode, posted_minor, pending_minor, last_sequence, occurred_at)
     SELECT c.command_id, c.account_id, c.event_type, c.failure_code, ${after.status},
       ${after.freezeMode}, ${after.postedMinor}, ${after.pendingMinor}, ${after.lastSequence},
       c.occurred_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
         ${columns.arrays})
       AS c(command_id, account_id, event_type, failure_code, occurred_at, ${columns.names})
     LEFT JOIN gateway.accounts a ON a.account_id = c.account_id
     ON CONFLICT (command_id) DO NOTHING`,
    [
      outcomes.map((o) => o.commandId),
      outcomes.map((o) => o.accountId),
      outcomes.map((o) => o.eventType),
      outcomes.map((o) => o.failureCode),
      outcomes.map((o) => o.occurredAt.toISOString()),
      ...changeParameters(outcomes.map((o) => o.accountChange)),
    ],
  );
}
