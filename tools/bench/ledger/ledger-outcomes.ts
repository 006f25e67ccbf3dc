import { BenchDatabase } from '../harness/bench-database';

export interface TransferOutcomes {
  debits: number;
  rejected: number;
  credits: number;
  creditsRefused: number;
  refunds: number;
  rejectionCodes: Record<string, number>;
}

export interface MoneyCheck {
  runCustomerTotalMinor: string;
  runNegativeAccounts: number;
  transitTotalMinor: string;
}

/** Processed commands of this run by type and outcome, e.g. `OpenAccount/AccountOpened`. */
export async function commandOutcomes(
  database: BenchDatabase,
  patterns: string[],
): Promise<Map<string, number>> {
  const rows = await database.rows<{ command_type: string; outcome: string; count: number }>(
    `SELECT command_type, outcome, count(*)::int AS count FROM ledger.processed_commands
     WHERE command_id LIKE ANY ($1) GROUP BY command_type, outcome`,
    [patterns],
  );
  return new Map(rows.map((row) => [`${row.command_type}/${row.outcome}`, row.count]));
}

export async function transferOutcomes(
  database: BenchDatabase,
  pattern: string,
): Promise<TransferOutcomes> {
  const counts = await commandOutcomes(database, [pattern]);
  const sum = (match: (key: string) => boolean) =>
    [...counts].reduce((total, [key, count]) => total + (match(key) ? count : 0), 0);
  const rejected = sum(
    (key) => key.startsWith('TransferFunds/') && key.includes('TransferRejected'),
  );
  const rejectionCodes: Record<string, number> = {};
  if (rejected > 0) {
    const rows = await database.rows<{ code: string; count: number }>(
      `SELECT data->>'failureCode' AS code, count(*)::int AS count FROM ledger.events
       WHERE type = 'TransferRejected' AND command_id LIKE $1 GROUP BY 1`,
      [pattern],
    );
    for (const row of rows) rejectionCodes[row.code] = row.count;
  }
  return {
    debits: sum((key) => key.startsWith('TransferFunds/')),
    rejected,
    credits: sum((key) => key.startsWith('CreditTransfer/')),
    creditsRefused: sum((key) => key === 'CreditTransfer/RefundTransfer'),
    refunds: sum((key) => key.startsWith('RefundTransfer/')),
    rejectionCodes,
  };
}

export async function moneyCheck(database: BenchDatabase, runId: string): Promise<MoneyCheck> {
  const [run] = await database.rows<{ total: string | null; negative: number }>(
    `SELECT sum(posted_minor)::text AS total,
       count(*) FILTER (WHERE posted_minor < 0)::int AS negative
     FROM ledger.accounts WHERE account_id LIKE $1`,
    [`bench-${runId}-account-%`],
  );
  const [transit] = await database.rows<{ total: string | null }>(
    `SELECT sum(posted_minor)::text AS total FROM ledger.accounts
     WHERE kind = 'transit' AND currency = 'EUR'`,
  );
  return {
    runCustomerTotalMinor: run.total ?? '0',
    runNegativeAccounts: run.negative,
    transitTotalMinor: transit.total ?? '0',
  };
}
