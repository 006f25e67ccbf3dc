import { parse } from 'csv-parse/sync';
import { Client, Pool } from 'pg';
import { payoutEndToEndId } from '@rtp/contracts';
import {
  CheckResult,
  balancesMatchEntries,
  effectsAreUnique,
  entriesHaveAccounts,
  hashChainsHold,
  journalsBalance,
  transitEqualsInFlight,
} from '@rtp/ledger/infrastructure';
import { Check } from '../chaos-checks';
import { PayoutRecord } from './payout-load';

const STATEMENT_TIMEOUT_MS = 30_000;
const DAY_MS = 86_400_000;

/** The sum of the partner's settlement shards in the ledger (posted), in minor units. */
export async function settlementTotal(database: Pool, partnerId: string): Promise<bigint> {
  const { rows } = await database.query<{ total: string | null }>(
    `SELECT sum(posted_minor)::text AS total FROM ledger.accounts WHERE account_id LIKE $1`,
    [`settlement:${partnerId}:%`],
  );
  return BigInt(rows[0].total ?? '0');
}

interface StatementRow {
  kind: string;
  creditDebit: string;
  amountMinor: string;
  endToEndId: string;
}

/** The days' statements (CSV) of our settlement account, as the bank's API gives them. */
async function statementRows(bank: { url: string; apiKey: string }, from: Date, to: Date) {
  const rows: StatementRow[] = [];
  for (
    let day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
    day <= to.getTime();
    day += DAY_MS
  ) {
    const date = new Date(day).toISOString().slice(0, 10);
    const response = await fetch(`${bank.url}/v1/statements/${date}`, {
      headers: { authorization: `Bearer ${bank.apiKey}`, accept: 'text/csv' },
      signal: AbortSignal.timeout(STATEMENT_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`statement ${date}: ${response.status}`);
    rows.push(...(parse(await response.text(), { columns: true }) as StatementRow[]));
  }
  return rows;
}

/**
 * The money the bank moved for this run's payouts (booked debits minus returned credits, from its
 * statements) against the movement of the ledger's settlement shards over the same time.
 */
export async function moneyCheck(options: {
  bank: { url: string; apiKey: string };
  payouts: PayoutRecord[];
  startedAt: Date;
  ledgerMovedMinor: bigint;
}): Promise<Check> {
  const ours = new Set(
    options.payouts
      .filter((payout) => payout.paymentIds.length > 0)
      .map((payout) => payoutEndToEndId(payout.paymentIds[0])),
  );
  const rows = await statementRows(options.bank, options.startedAt, new Date());
  let bookedMinor = 0n;
  let returnedMinor = 0n;
  let others = 0;
  for (const row of rows) {
    if (!ours.has(row.endToEndId)) {
      if (row.kind !== 'opening') others += 1;
      continue;
    }
    if (row.creditDebit === 'DBIT') bookedMinor += BigInt(row.amountMinor);
    else returnedMinor += BigInt(row.amountMinor);
  }
  const bankMovedMinor = bookedMinor - returnedMinor;
  return {
    name: 'the money the bank moved equals the ledger settlement accounts movement',
    passed: bankMovedMinor === options.ledgerMovedMinor && others === 0,
    detail:
      `bank statements: ${bookedMinor} booked - ${returnedMinor} returned = ${bankMovedMinor}; ` +
      `ledger settlement:sandbox moved ${options.ledgerMovedMinor}; ${others} other entries`,
  };
}

/** `npm run verify`'s checks (the ledger's own, from @rtp/ledger/infrastructure), one snapshot. */
export async function verifyChecks(databaseUrl: string): Promise<Check> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'payout-chaos' });
  await client.connect();
  const results: CheckResult[] = [];
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const check of [
      balancesMatchEntries,
      entriesHaveAccounts,
      journalsBalance,
      effectsAreUnique,
      transitEqualsInFlight,
      hashChainsHold,
    ]) {
      results.push(await check(client));
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  const failed = results.filter((result) => result.violations.length > 0);
  return {
    name: 'npm run verify checks pass',
    passed: failed.length === 0,
    detail: results
      .map((result) => `${result.name}: ${result.checked} checked, ${result.violations.length} off`)
      .concat(failed.flatMap((result) => result.violations.slice(0, 3)))
      .join('; ')
      .slice(0, 800),
  };
}
