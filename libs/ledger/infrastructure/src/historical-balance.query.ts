import { DataSource } from 'typeorm';

export interface HistoricalBalance {
  accountId: string;
  asOf: string;
  postedMinor: string;
  pendingMinor: string;
  availableMinor: string;
}

/**
 * An account's balance as it stood at an instant, recomputed from the facts: the entries recorded up
 * to then, and the holds placed up to then and not yet settled or released at that time. Monthly
 * partitions after the instant are pruned by the planner.
 */
export async function historicalBalance(
  dataSource: DataSource,
  accountId: string,
  asOf: Date,
): Promise<HistoricalBalance | null> {
  const rows: { exists: boolean; posted: string; pending: string }[] = await dataSource.query(
    `SELECT EXISTS (SELECT 1 FROM ledger.accounts WHERE account_id = $1) AS exists,
       (SELECT COALESCE(sum(amount_minor), 0) FROM ledger.entries
        WHERE account_id = $1 AND recorded_at <= $2)::text AS posted,
       (SELECT COALESCE(sum(h.amount_minor), 0) FROM ledger.holds h
        WHERE h.account_id = $1 AND h.recorded_at <= $2 AND NOT EXISTS (
          SELECT 1 FROM ledger.hold_outcomes o WHERE o.hold_id = h.hold_id AND o.recorded_at <= $2))::text AS pending`,
    [accountId, asOf],
  );
  if (!rows[0].exists) return null;
  const posted = BigInt(rows[0].posted);
  const pending = BigInt(rows[0].pending);
  return {
    accountId,
    asOf: asOf.toISOString(),
    postedMinor: posted.toString(),
    pendingMinor: pending.toString(),
    availableMinor: (posted - pending).toString(),
  };
}
