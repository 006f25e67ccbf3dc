import { Client } from 'pg';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createAppDataSource, migrateSchema } from '@rtp/shared/database';
// By file, not from @rtp/ledger/infrastructure: that index loads NestJS 12 (ESM-only).
import { PostgresLedgerStore } from '../../libs/ledger/infrastructure/src/postgres-ledger.store';
import { REPO_ROOT, requireEnv } from './platform';

const LEDGER_MIGRATIONS_DIRECTORY = join(
  REPO_ROOT,
  'libs',
  'ledger',
  'infrastructure',
  'src',
  'migrations',
);

/** The ledger's schema migrated, and its store on a small pool of the app role, as the ledger runs it. */
export async function openLedgerStore(
  options: { applicationName?: string; poolSizeMax?: number } = {},
): Promise<{
  dataSource: DataSource;
  store: PostgresLedgerStore;
}> {
  const url = requireEnv('DATABASE_URL');
  await migrateSchema({ url, schema: 'ledger', migrationsDirectory: LEDGER_MIGRATIONS_DIRECTORY });
  const dataSource = createAppDataSource({
    url,
    schema: 'ledger',
    appRole: 'ledger_app',
    applicationName: options.applicationName ?? 'test',
    poolSizeMax: options.poolSizeMax ?? 2,
    statementTimeoutMs: 10_000,
    idleInTransactionTimeoutMs: 5_000,
    lockTimeoutMs: 5_000,
  });
  await dataSource.initialize();
  return { dataSource, store: new PostgresLedgerStore(dataSource) };
}

/** Read-only questions tests ask the ledger's own database. */
export class LedgerDatabase {
  private readonly client = new Client({ connectionString: requireEnv('DATABASE_URL') });

  async connect(): Promise<void> {
    await this.client.connect();
  }

  end(): Promise<void> {
    return this.client.end();
  }

  async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query(sql, params)).rows as T[];
  }

  /** Terminal outcomes recorded per payment id: exactly one each means exactly-once. */
  async terminalOutcomes(paymentIds: string[]): Promise<Map<string, string[]>> {
    const rows = await this.rows<{ payment_id: string; types: string[] }>(
      `SELECT data->>'paymentId' AS payment_id, array_agg(type ORDER BY type) AS types FROM ledger.events
       WHERE type IN ('TransferCompleted', 'TransferRefunded', 'TransferRejected')
         AND data->>'paymentId' = ANY($1::text[])
       GROUP BY 1`,
      [paymentIds],
    );
    return new Map(rows.map((row) => [row.payment_id, row.types]));
  }

  async balances(): Promise<Map<string, string>> {
    const rows = await this.rows<{
      account_id: string;
      posted_minor: string;
      pending_minor: string;
    }>('SELECT account_id, posted_minor, pending_minor FROM ledger.accounts');
    return new Map(rows.map((row) => [row.account_id, `${row.posted_minor}/${row.pending_minor}`]));
  }
}

/** Runs `npm run verify`'s script against the test database; returns its exit code and report. */
export function runVerify(): { code: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', join('tools', 'verify', 'verify-ledger.ts')],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json') },
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}
