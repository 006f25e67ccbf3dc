import { AccountState, SettledPayout } from '@rtp/ledger/domain';
import { RowsQuery } from '@rtp/shared/database';
import { MergedWrite } from './merged-write';

interface AccountRow {
  account_id: string;
  currency: string;
  kind: AccountState['kind'];
  status: AccountState['status'];
  posted_minor: string;
  pending_minor: string;
  overdraft_limit_minor: string | null;
  sequence: string;
  freeze_mode: AccountState['freeze'];
  per_debit_limit_minor: string | null;
  last_hash: string;
}

interface HoldDbRow {
  hold_id: string;
  account_id: string;
  amount_minor: string;
  partner_id: string;
}

export const ACCOUNT_COLUMNS = `account_id, currency, kind, status, posted_minor, pending_minor,
  overdraft_limit_minor, sequence, freeze_mode, per_debit_limit_minor, last_hash`;

function toAccount(row: AccountRow): AccountState {
  return {
    accountId: row.account_id,
    currency: row.currency,
    kind: row.kind,
    status: row.status,
    postedMinor: BigInt(row.posted_minor),
    pendingMinor: BigInt(row.pending_minor),
    overdraftLimitMinor:
      row.overdraft_limit_minor === null ? null : BigInt(row.overdraft_limit_minor),
    sequence: Number(row.sequence),
    freeze: row.freeze_mode,
    perDebitLimitMinor:
      row.per_debit_limit_minor === null ? null : BigInt(row.per_debit_limit_minor),
    holds: new Map(),
    lastHash: row.last_hash,
  };
}

/** The accounts named, with their open holds. */
export async function selectAccounts(
  query: RowsQuery,
  accountIds: string[],
): Promise<AccountState[]> {
  const rows = (await query(
    `SELECT ${ACCOUNT_COLUMNS} FROM ledger.accounts WHERE account_id = ANY($1::text[])`,
    [accountIds],
  )) as unknown as AccountRow[];
  const accounts = rows.map(toAccount);
  const holds = (await query(
    `SELECT hold_id, account_id, amount_minor, partner_id FROM ledger.holds h
     WHERE account_id = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM ledger.hold_outcomes o WHERE o.hold_id = h.hold_id)`,
    [accountIds],
  )) as unknown as HoldDbRow[];
  const byId = new Map(accounts.map((account) => [account.accountId, account]));
  for (const hold of holds) {
    byId.get(hold.account_id)?.holds.set(hold.hold_id, {
      amountMinor: BigInt(hold.amount_minor),
      partnerId: hold.partner_id,
    });
  }
  return accounts;
}

/** The partition's system accounts (its transit, settlement and adjustment shards). */
export async function selectSystemAccounts(
  query: RowsQuery,
  partition: number,
): Promise<AccountState[]> {
  const rows = (await query(
    `SELECT ${ACCOUNT_COLUMNS} FROM ledger.accounts WHERE owner_partition = $1 AND kind <> 'customer'`,
    [partition],
  )) as unknown as AccountRow[];
  return rows.map(toAccount);
}

/** Rows are taken in account order, as by every writer of accounts, so writers cannot deadlock. */
export async function writeAccounts(sql: RowsQuery, write: MergedWrite): Promise<void> {
  if (write.accounts.length === 0) return;
  const a = write.accounts;
  await sql(
    `INSERT INTO ledger.accounts (${ACCOUNT_COLUMNS}, owner_partition, opened_at, updated_at)
     SELECT *, $13::timestamptz, $13::timestamptz FROM unnest(
       $1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
       $9::text[], $10::bigint[], $11::text[], $12::integer[]) AS t(${ACCOUNT_COLUMNS}, owner_partition)
     ORDER BY account_id
     ON CONFLICT (account_id) DO UPDATE SET status = EXCLUDED.status, freeze_mode = EXCLUDED.freeze_mode,
       per_debit_limit_minor = EXCLUDED.per_debit_limit_minor, last_hash = EXCLUDED.last_hash,
       posted_minor = EXCLUDED.posted_minor, pending_minor = EXCLUDED.pending_minor,
       overdraft_limit_minor = EXCLUDED.overdraft_limit_minor, sequence = EXCLUDED.sequence,
       updated_at = EXCLUDED.updated_at`,
    [
      a.map((x) => x.accountId),
      a.map((x) => x.currency),
      a.map((x) => x.kind),
      a.map((x) => x.status),
      a.map((x) => x.postedMinor.toString()),
      a.map((x) => x.pendingMinor.toString()),
      a.map((x) => x.overdraftLimitMinor?.toString() ?? null),
      a.map((x) => String(x.sequence)),
      a.map((x) => x.freeze),
      a.map((x) => x.perDebitLimitMinor?.toString() ?? null),
      a.map((x) => x.lastHash),
      write.accountPartitions,
      write.recordedAt,
    ],
  );
}

/** The payouts of these ids whose hold was settled (a return names one of them). */
export async function selectSettledPayouts(
  query: RowsQuery,
  paymentIds: string[],
): Promise<SettledPayout[]> {
  const rows = (await query(
    `SELECT h.hold_id, h.account_id, h.amount_minor, h.currency, h.partner_id
       FROM ledger.holds h JOIN ledger.hold_outcomes o ON o.hold_id = h.hold_id
      WHERE h.hold_id = ANY($1::text[]) AND o.outcome = 'settled'`,
    [paymentIds],
  )) as unknown as (HoldDbRow & { currency: string })[];
  return rows.map((row) => ({
    paymentId: row.hold_id,
    accountId: row.account_id,
    amountMinor: BigInt(row.amount_minor),
    currency: row.currency.trim(),
    partnerId: row.partner_id,
  }));
}
