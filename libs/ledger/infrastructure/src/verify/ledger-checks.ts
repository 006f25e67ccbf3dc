// The ledger's invariants as SQL over its facts, recomputed from scratch: what `npm run verify`
// (tools/verify/verify-ledger.ts) runs and reports. They live with the ledger that owns the schema.
import { Client } from 'pg';
import { chainHash } from '@rtp/ledger/domain';

export interface CheckResult {
  name: string;
  checked: number;
  violations: string[];
}

const VIOLATIONS_SHOWN_MAX = 20;
const CHAIN_PAGE_SIZE = 5_000;

async function sqlCheck(
  client: Client,
  name: string,
  countSql: string,
  violationSql: string,
  describe: (row: Record<string, string>) => string,
): Promise<CheckResult> {
  const checked = Number((await client.query(countSql)).rows[0].count);
  const { rows } = await client.query(`${violationSql} LIMIT ${VIOLATIONS_SHOWN_MAX + 1}`);
  return { name, checked, violations: rows.map(describe) };
}

/** Every balance row equals the sum of its entries; pending equals its open holds. */
export function balancesMatchEntries(client: Client): Promise<CheckResult> {
  return sqlCheck(
    client,
    'balances recomputed from entries and holds',
    'SELECT count(*) FROM ledger.accounts',
    `SELECT a.account_id, a.posted_minor, COALESCE(e.total, 0) AS from_entries, a.pending_minor,
            COALESCE(h.total, 0) AS from_holds
     FROM ledger.accounts a
     LEFT JOIN (SELECT account_id, sum(amount_minor) AS total FROM ledger.entries GROUP BY account_id) e
       USING (account_id)
     LEFT JOIN (SELECT account_id, sum(amount_minor) AS total FROM ledger.holds h
                WHERE NOT EXISTS (SELECT 1 FROM ledger.hold_outcomes o WHERE o.hold_id = h.hold_id)
                GROUP BY account_id) h USING (account_id)
     WHERE a.posted_minor <> COALESCE(e.total, 0) OR a.pending_minor <> COALESCE(h.total, 0)`,
    (row) =>
      `${row.account_id}: posted ${row.posted_minor} but entries sum to ${row.from_entries}; ` +
      `pending ${row.pending_minor} but open holds sum to ${row.from_holds}`,
  );
}

/**
 * No entry without its account: the database no longer checks it per row (a foreign key on the
 * hot path); each entry is written by its account's owner in the same transaction as its balance.
 */
export function entriesHaveAccounts(client: Client): Promise<CheckResult> {
  return sqlCheck(
    client,
    'every entry belongs to an account',
    'SELECT count(DISTINCT account_id) FROM ledger.entries',
    `SELECT e.account_id, count(*) AS entries FROM ledger.entries e
     WHERE NOT EXISTS (SELECT 1 FROM ledger.accounts a WHERE a.account_id = e.account_id)
     GROUP BY e.account_id`,
    (row) => `${row.account_id}: ${row.entries} entries but no such account`,
  );
}

/**
 * A command has one effect: its events and its journal have ids derived from the command id, and
 * none appears twice. The monthly partitions (migration 0003) cannot hold a unique key without
 * recorded_at, so the database refuses a second effect through processed_commands' primary key;
 * this checks the facts themselves.
 */
export function effectsAreUnique(client: Client): Promise<CheckResult> {
  return sqlCheck(
    client,
    'event and journal ids appear once',
    'SELECT (SELECT count(*) FROM ledger.events) + (SELECT count(*) FROM ledger.journals) AS count',
    `SELECT 'event' AS kind, event_id AS id, count(*) AS copies FROM ledger.events
     GROUP BY event_id HAVING count(*) > 1
     UNION ALL
     SELECT 'journal', journal_id, count(*) FROM ledger.journals GROUP BY journal_id HAVING count(*) > 1`,
    (row) => `${row.kind} ${row.id} is stored ${row.copies} times`,
  );
}

/** Double entry: every journal has two or more entries and sums to zero per currency. */
export function journalsBalance(client: Client): Promise<CheckResult> {
  return sqlCheck(
    client,
    'journals sum to zero per currency',
    'SELECT count(*) FROM ledger.journals',
    `SELECT j.journal_id, e.currency, COALESCE(sum(e.amount_minor), 0) AS total, count(e.*) AS entries
     FROM ledger.journals j LEFT JOIN ledger.entries e USING (journal_id)
     GROUP BY j.journal_id, e.currency HAVING COALESCE(sum(e.amount_minor), 0) <> 0 OR count(e.*) < 2`,
    (row) =>
      `journal ${row.journal_id}: ${row.entries} entries summing to ${row.total} ${row.currency ?? ''}`,
  );
}

/** The transit shards of a currency hold exactly the transfers debited but not yet credited or refunded. */
export function transitEqualsInFlight(client: Client): Promise<CheckResult> {
  return sqlCheck(
    client,
    'transit balance equals money in flight',
    `SELECT count(DISTINCT currency) FROM ledger.accounts WHERE kind = 'transit'`,
    `WITH transit AS (
       SELECT currency, sum(posted_minor) AS total FROM ledger.accounts WHERE kind = 'transit' GROUP BY currency),
     flight AS (
       SELECT data->>'currency' AS currency,
              sum(CASE type WHEN 'TransferDebited' THEN (data->>'amountMinor')::numeric
                            ELSE -(data->>'amountMinor')::numeric END) AS total
       FROM ledger.events WHERE type IN ('TransferDebited', 'TransferCompleted', 'TransferRefunded')
       GROUP BY data->>'currency')
     SELECT COALESCE(t.currency, f.currency) AS currency, COALESCE(t.total, 0) AS transit,
            COALESCE(f.total, 0) AS in_flight
     FROM transit t FULL JOIN flight f USING (currency)
     WHERE COALESCE(t.total, 0) <> COALESCE(f.total, 0)`,
    (row) => `${row.currency}: transit holds ${row.transit} but ${row.in_flight} is in flight`,
  );
}

/** Walks every account's events in order, recomputing the hash chain and the sequence. */
export async function hashChainsHold(client: Client): Promise<CheckResult> {
  const violations: string[] = [];
  const heads = new Map<string, { sequence: number; lastHash: string }>();
  for (const row of (
    await client.query('SELECT account_id, sequence, last_hash FROM ledger.accounts')
  ).rows) {
    heads.set(row.account_id, { sequence: Number(row.sequence), lastHash: row.last_hash });
  }
  const walked = new Map<string, { sequence: number; hash: string }>();
  let after: [string, number] = ['', 0];
  let checked = 0;
  for (;;) {
    const { rows } = await client.query(
      `SELECT account_id, sequence, event_id, type, data, hash FROM ledger.events
       WHERE sequence IS NOT NULL AND (account_id, sequence) > ($1, $2)
       ORDER BY account_id, sequence LIMIT ${CHAIN_PAGE_SIZE}`,
      after,
    );
    for (const row of rows) {
      const sequence = Number(row.sequence);
      const previous = walked.get(row.account_id) ?? { sequence: 0, hash: '' };
      if (sequence !== previous.sequence + 1) {
        violations.push(`${row.account_id}: event ${sequence} follows ${previous.sequence}`);
      }
      const hash = chainHash(previous.hash, {
        eventId: row.event_id,
        accountId: row.account_id,
        sequence,
        type: row.type,
        data: row.data,
      });
      if (hash !== row.hash)
        violations.push(`${row.account_id}: event ${sequence} (${row.event_id}) hash mismatch`);
      walked.set(row.account_id, { sequence, hash: row.hash ?? hash });
      checked += 1;
    }
    if (rows.length < CHAIN_PAGE_SIZE) break;
    const last = rows[rows.length - 1];
    after = [last.account_id, Number(last.sequence)];
  }
  for (const [accountId, head] of heads) {
    const tail = walked.get(accountId) ?? { sequence: 0, hash: '' };
    if (tail.sequence !== head.sequence || tail.hash !== head.lastHash) {
      violations.push(
        `${accountId}: events end at sequence ${tail.sequence} with hash ${tail.hash.slice(0, 12)}, ` +
          `the account row says ${head.sequence} with ${head.lastHash.slice(0, 12)}`,
      );
    }
  }
  return { name: 'per-account hash chains', checked, violations };
}
