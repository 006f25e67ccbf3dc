import { Client } from 'pg';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, requireEnv } from './platform';

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
