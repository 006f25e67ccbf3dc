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

describe('an event stored twice (no unique key spans the monthly partitions)', () => {
  let owner: Client;
  const eventId = `test-duplicate-${randomUUID()}/AccountOpenRejected`;

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
    await owner.query('ALTER TABLE ledger.events DISABLE TRIGGER USER');
    await owner.query('DELETE FROM ledger.events WHERE event_id = $1', [eventId]);
    await owner.query('ALTER TABLE ledger.events ENABLE TRIGGER USER');
    await owner.query('COMMIT');
    await owner.end();
  });

  it('is reported by npm run verify', async () => {
    // Outside any account's stream (no sequence), so only the uniqueness check concerns it.
    for (const recordedAt of ['2026-01-15T00:00:00Z', '2026-02-15T00:00:00Z']) {
      await owner.query(
        `INSERT INTO ledger.events (account_id, event_id, type, command_id, correlation_id, data,
        recorded_at) VALUES ('test-missing', $1, 'AccountOpenRejected', $1, $1, '{}', $2)`,
        [eventId, recordedAt],
      );
    }
    const verification = runVerify();
    expect(verification.code).toBe(1);
    expect(verification.output).toContain(`event ${eventId} is stored 2 times`);
  });
});
