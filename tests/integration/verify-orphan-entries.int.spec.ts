import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrateSchema } from '@rtp/shared/database';
import { runVerify } from '../support/ledger-database';
import { REPO_ROOT, requireEnv } from '../support/platform';

const LEDGER_MIGRATIONS_DIRECTORY = join(
  REPO_ROOT,
  'libs',
  'ledger',
  'infrastructure',
  'src',
  'migrations',
);

describe('an entry whose account does not exist (no foreign key guards it on the hot path)', () => {
  let owner: Client;
  const journalId = `test-orphan-${randomUUID()}`;
  const accounts = [`test-missing-a-${randomUUID()}`, `test-missing-b-${randomUUID()}`];

  beforeAll(async () => {
    const url = requireEnv('DATABASE_URL');
    await migrateSchema({
      url,
      schema: 'ledger',
      migrationsDirectory: LEDGER_MIGRATIONS_DIRECTORY,
    });
    owner = new Client({ connectionString: url });
    await owner.connect();
  });

  afterAll(async () => {
    // Facts are append-only; the test removes its own the way an operator would have to.
    await owner.query('BEGIN');
    await owner.query('ALTER TABLE ledger.entries DISABLE TRIGGER USER');
    await owner.query('ALTER TABLE ledger.journals DISABLE TRIGGER USER');
    await owner.query('DELETE FROM ledger.entries WHERE journal_id = $1', [journalId]);
    await owner.query('DELETE FROM ledger.journals WHERE journal_id = $1', [journalId]);
    await owner.query('ALTER TABLE ledger.entries ENABLE TRIGGER USER');
    await owner.query('ALTER TABLE ledger.journals ENABLE TRIGGER USER');
    await owner.query('COMMIT');
    await owner.end();
  });

  it('is reported by npm run verify', async () => {
    await owner.query(`INSERT INTO ledger.journals VALUES ($1, $1, 'EUR', now())`, [journalId]);
    await owner.query(
      `INSERT INTO ledger.entries (journal_id, account_id, currency, amount_minor, recorded_at)
      VALUES ($1, $2, 'EUR', -5, now()), ($1, $3, 'EUR', 5, now())`,
      [journalId, ...accounts],
    );
    const verification = runVerify();
    expect(verification.code).toBe(1);
    expect(verification.output).toContain(`${accounts[0]}: 1 entries but no such account`);
  });
});
