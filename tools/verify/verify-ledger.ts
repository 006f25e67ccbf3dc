// `npm run verify`: recomputes the ledger's derived state from its facts and reports any violation.
// Exits 1 on a violation, 2 when it could not check. Reads DATABASE_URL.
import { Client } from 'pg';
import {
  CheckResult,
  balancesMatchEntries,
  effectsAreUnique,
  entriesHaveAccounts,
  hashChainsHold,
  journalsBalance,
  transitEqualsInFlight,
} from '@rtp/ledger/infrastructure';

const SHOWN_MAX = 20;

function report(result: CheckResult, elapsedMs: number): void {
  const status = result.violations.length === 0 ? 'PASS' : 'FAIL';
  console.log(
    `${status}  ${result.name}: ${result.checked} checked, ${result.violations.length} violations` +
      ` (${elapsedMs} ms)`,
  );
  for (const violation of result.violations.slice(0, SHOWN_MAX))
    console.log(`        - ${violation}`);
  if (result.violations.length > SHOWN_MAX) console.log('        - … and more');
}

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set (the ledger database to verify)');
    return 2;
  }
  const client = new Client({ connectionString: url, application_name: 'ledger-verify' });
  await client.connect();
  try {
    // One snapshot for every check, so a running ledger cannot make them disagree.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    console.log(`Ledger verification of ${url.replace(/:[^:@/]*@/, ':***@')}\n`);
    let failed = 0;
    for (const check of [
      balancesMatchEntries,
      entriesHaveAccounts,
      journalsBalance,
      effectsAreUnique,
      transitEqualsInFlight,
      hashChainsHold,
    ]) {
      const started = Date.now();
      const result = await check(client);
      report(result, Date.now() - started);
      if (result.violations.length > 0) failed += 1;
    }
    await client.query('COMMIT');
    console.log(failed === 0 ? '\nThe ledger is consistent.' : `\n${failed} check(s) failed.`);
    return failed === 0 ? 0 : 1;
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('verification could not run:', error);
    process.exit(2);
  },
);
