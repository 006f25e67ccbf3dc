import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { migrateSchema } from '@rtp/shared/database';
import { join } from 'node:path';
import { REPO_ROOT, requireEnv } from '../support/platform';

// Not imported from @rtp/ledger/infrastructure: that index loads NestJS 12, which is ESM-only and
// which jest's CommonJS runtime cannot require.
const LEDGER_MIGRATIONS_DIRECTORY = join(
  REPO_ROOT,
  'libs',
  'ledger',
  'infrastructure',
  'src',
  'migrations',
);

describe('the ledger tables', () => {
  let owner: Client;
  let app: Client;
  const journalId = `test-journal-${randomUUID()}`;
  const accounts = [`test-a-${randomUUID()}`, `test-b-${randomUUID()}`];

  beforeAll(async () => {
    const url = requireEnv('DATABASE_URL');
    await migrateSchema({
      url,
      schema: 'ledger',
      migrationsDirectory: LEDGER_MIGRATIONS_DIRECTORY,
    });
    owner = new Client({ connectionString: url });
    app = new Client({ connectionString: url, options: '-c role=ledger_app' });
    await Promise.all([owner.connect(), app.connect()]);
    // Balance rows that match the entries below, so `npm run verify` stays clean on this database.
    for (const [account, postedMinor] of [
      [accounts[0], -500],
      [accounts[1], 500],
    ] as const) {
      await app.query(
        `INSERT INTO ledger.accounts (account_id, currency, kind, status, posted_minor, pending_minor,
           overdraft_limit_minor, sequence, owner_partition, opened_at, updated_at)
         VALUES ($1, 'EUR', 'adjustment', 'active', $2, 0, NULL, 0, 0, now(), now())`,
        [account, postedMinor],
      );
    }
    await app.query(`INSERT INTO ledger.journals VALUES ($1, $1, 'EUR', now())`, [journalId]);
    await app.query(
      `INSERT INTO ledger.entries (journal_id, account_id, currency, amount_minor, recorded_at)
       VALUES ($1, $2, 'EUR', -500, now()), ($1, $3, 'EUR', 500, now())`,
      [journalId, ...accounts],
    );
  });

  afterAll(async () => {
    await Promise.all([owner?.end(), app?.end()]);
  });

  const statements: [string, string][] = [
    [
      'UPDATE of an entry',
      `UPDATE ledger.entries SET amount_minor = 1 WHERE journal_id = '${journalId}'`,
    ],
    ['DELETE of an entry', `DELETE FROM ledger.entries WHERE journal_id = '${journalId}'`],
    [
      'UPDATE of a journal',
      `UPDATE ledger.journals SET currency = 'USD' WHERE journal_id = '${journalId}'`,
    ],
    ['DELETE of a journal', `DELETE FROM ledger.journals WHERE journal_id = '${journalId}'`],
    ['UPDATE of an event', `UPDATE ledger.events SET type = 'x'`],
    ['DELETE of processed commands', `DELETE FROM ledger.processed_commands`],
    ['TRUNCATE of entries', 'TRUNCATE ledger.entries'],
    ['TRUNCATE of a monthly partition', 'TRUNCATE ledger.entries_default'],
    ['DELETE of a hold', 'DELETE FROM ledger.holds'],
  ];

  describe.each([
    ['the application role', () => app],
    ['the owner (trigger)', () => owner],
  ])('as %s', (_who, connection) => {
    it.each(statements)('refuses %s', async (_name, sql) => {
      await expect(connection().query(sql)).rejects.toThrow(/append-only|permission denied/);
    });
  });

  it('keeps the entries unchanged after the refused statements', async () => {
    const { rows } = await owner.query(
      'SELECT sum(amount_minor)::text AS total, count(*)::int AS count FROM ledger.entries WHERE journal_id = $1',
      [journalId],
    );
    expect(rows[0]).toEqual({ total: '0', count: 2 });
  });

  it('refuses a journal whose entries do not sum to zero', async () => {
    const unbalanced = `test-unbalanced-${randomUUID()}`;
    await app.query('BEGIN');
    try {
      await app.query(`INSERT INTO ledger.journals VALUES ($1, $1, 'EUR', now())`, [unbalanced]);
      await expect(
        app.query(
          `INSERT INTO ledger.entries (journal_id, account_id, currency, amount_minor, recorded_at)
         VALUES ($1, $2, 'EUR', -500, now()), ($1, $3, 'EUR', 499, now())`,
          [unbalanced, ...accounts],
        ),
      ).rejects.toThrow(/JournalMustBalance/);
    } finally {
      await app.query('ROLLBACK');
    }
  });
});
