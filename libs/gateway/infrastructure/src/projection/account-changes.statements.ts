import { EntityManager } from 'typeorm';
import { preparedQueryIn } from '@rtp/shared/database';
import { AccountChange, AccountOpenRejection, AccountOpening } from './account-changes';

/** How an account change is passed: one array parameter per column `c.<name>` of an unnest. */
const CHANGE_COLUMNS = [
  ['sequence', 'bigint', (c: AccountChange) => c.sequence],
  ['balance_sequence', 'bigint', (c: AccountChange) => c.balance?.sequence],
  ['posted_minor', 'bigint', (c: AccountChange) => c.balance?.value.postedMinor],
  ['pending_minor', 'bigint', (c: AccountChange) => c.balance?.value.pendingMinor],
  ['status_sequence', 'bigint', (c: AccountChange) => c.status?.sequence],
  ['status', 'text', (c: AccountChange) => c.status?.value],
  ['freeze_sequence', 'bigint', (c: AccountChange) => c.freezeMode?.sequence],
  ['freeze_mode', 'text', (c: AccountChange) => c.freezeMode?.value],
] as const;

/** The unnest arguments and column names of account changes passed from parameter `$first` on. */
export function changeColumns(first: number): { arrays: string; names: string } {
  return {
    arrays: CHANGE_COLUMNS.map(([, type], index) => `$${first + index}::${type}[]`).join(', '),
    names: CHANGE_COLUMNS.map(([name]) => name).join(', '),
  };
}

/** The parameters of `changeColumns`; a null change leaves the row as it is. */
export function changeParameters(changes: readonly (AccountChange | null)[]): unknown[][] {
  return CHANGE_COLUMNS.map(([, , value]) =>
    changes.map((change) => (change === null ? null : (value(change) ?? null))),
  );
}

/**
 * Each column of account row `a` once change `c` applies: a group moves only when the event that
 * set it is past the row's sequence (a null on either side keeps the row's value). Balances thus
 * move only forward in account sequence, and a replayed event changes nothing.
 */
export const COLUMNS_AFTER_CHANGE = {
  postedMinor: `CASE WHEN c.balance_sequence > a.last_sequence THEN c.posted_minor
    ELSE a.posted_minor END`,
  pendingMinor: `CASE WHEN c.balance_sequence > a.last_sequence THEN c.pending_minor
    ELSE a.pending_minor END`,
  status: 'CASE WHEN c.status_sequence > a.last_sequence THEN c.status ELSE a.status END',
  freezeMode: `CASE WHEN c.freeze_sequence > a.last_sequence THEN c.freeze_mode
    ELSE a.freeze_mode END`,
  lastSequence: 'CASE WHEN c.sequence > a.last_sequence THEN c.sequence ELSE a.last_sequence END',
};

/**
 * Moves every account row by its change, in one statement. An account's row changes only in its
 * partition's transactions, which the positions' compare-and-set (their first statement) puts one
 * after the other, so the order in which this statement locks the rows cannot deadlock.
 */
export async function writeAccountChanges(
  manager: EntityManager,
  changes: readonly AccountChange[],
  at: Date,
): Promise<void> {
  if (changes.length === 0) return;
  const after = COLUMNS_AFTER_CHANGE;
  const columns = changeColumns(3);
  await (
    await preparedQueryIn(manager)
  )(
    `UPDATE gateway.accounts a SET posted_minor = ${after.postedMinor},
       pending_minor = ${after.pendingMinor}, status = ${after.status},
       freeze_mode = ${after.freezeMode}, last_sequence = c.sequence, updated_at = $1
     FROM unnest($2::text[], ${columns.arrays}) AS c(account_id, ${columns.names})
     WHERE a.account_id = c.account_id AND a.last_sequence < c.sequence`,
    [at, changes.map((c) => c.accountId), ...changeParameters(changes)],
  );
}

/** Creates the opened accounts' rows, or completes the rows their requests inserted. */
export async function writeAccountOpenings(
  manager: EntityManager,
  openings: readonly AccountOpening[],
  at: Date,
): Promise<void> {
  if (openings.length === 0) return;
  await (
    await preparedQueryIn(manager)
  )(
    `INSERT INTO gateway.accounts AS a (account_id, client_id, currency, name, metadata, status,
       created_at, updated_at, last_sequence, virtual_iban)
     SELECT o.account_id, o.client_id, o.currency, o.name, o.metadata, 'active', $1, $1, o.sequence,
       o.virtual_iban
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::bigint[],
       $8::text[]) AS o(account_id, client_id, currency, name, metadata, sequence, virtual_iban)
     ON CONFLICT (account_id) DO UPDATE SET
       status = CASE WHEN a.status = 'opening' THEN 'active' ELSE a.status END, updated_at = $1,
       virtual_iban = COALESCE(a.virtual_iban, EXCLUDED.virtual_iban),
       last_sequence = GREATEST(a.last_sequence, EXCLUDED.last_sequence)`,
    [
      at,
      openings.map((o) => o.accountId),
      openings.map((o) => o.clientId),
      openings.map((o) => o.currency),
      openings.map((o) => o.name),
      openings.map((o) => (o.metadata === null ? null : JSON.stringify(o.metadata))),
      openings.map((o) => o.sequence),
      openings.map((o) => o.virtualIban),
    ],
  );
}

/** Marks the refused accounts' rows, which their requests inserted as `opening`. */
export async function writeAccountOpenRejections(
  manager: EntityManager,
  rejections: readonly AccountOpenRejection[],
  at: Date,
): Promise<void> {
  if (rejections.length === 0) return;
  await (
    await preparedQueryIn(manager)
  )(
    `UPDATE gateway.accounts a SET status = 'rejected', failure_code = r.failure_code,
       updated_at = $1
     FROM unnest($2::text[], $3::text[]) AS r(account_id, failure_code)
     WHERE a.account_id = r.account_id AND a.status = 'opening'`,
    [at, rejections.map((r) => r.accountId), rejections.map((r) => r.failureCode)],
  );
}
