import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { KeyRecord } from './load-windows';

export interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

const TERMINAL = new Set(['completed', 'rejected']);
const DRAIN_POLL_MS = 1_000;
const SHOWN_MAX = 5;

const sample = (items: string[]) =>
  items.slice(0, SHOWN_MAX).join(', ') +
  (items.length > SHOWN_MAX ? `, ... (${items.length})` : '');
const listed = (items: string[]) => (items.length > 0 ? ` (${sample(items)})` : '');

/** Reads each accepted payment's status from the gateway's read model until all are terminal. */
export async function drainAccepted(
  database: Pool,
  keys: KeyRecord[],
  deadlineMs: number,
  clock: () => number,
): Promise<void> {
  let pending = keys.filter((key) => key.paymentIds.length > 0);
  while (pending.length > 0) {
    const ids = pending.map((key) => key.paymentIds[0]);
    const rows = (
      await database.query<{ payment_id: string; status: string }>(
        'SELECT payment_id, status FROM gateway.payments WHERE payment_id = ANY($1::text[])',
        [ids],
      )
    ).rows;
    const statuses = new Map(rows.map((row) => [row.payment_id, row.status]));
    for (const key of pending) key.finalStatus = statuses.get(key.paymentIds[0]) ?? 'missing';
    pending = pending.filter((key) => !TERMINAL.has(key.finalStatus ?? ''));
    if (pending.length === 0 || clock() > deadlineMs) return;
    await sleep(DRAIN_POLL_MS);
  }
}

/** Every key accepted once, with one payment, known to the gateway under that key only. */
export async function idempotencyChecks(
  database: Pool,
  keys: KeyRecord[],
  dropped: number,
  clientIds: string[],
  runTag: string,
): Promise<Check[]> {
  const refused = keys.filter((key) => key.refusal !== null);
  const unaccepted = keys.filter((key) => key.paymentIds.length === 0 && key.refusal === null);
  const twice = keys.filter((key) => key.paymentIds.length > 1);
  const stored = new Map(
    (
      await database.query<{ idempotency_key: string; resource_id: string }>(
        `SELECT idempotency_key, resource_id FROM gateway.idempotency_keys
     WHERE client_id = ANY($1::text[]) AND idempotency_key LIKE $2`,
        [clientIds, `chaos-${runTag}-%`],
      )
    ).rows.map((row) => [row.idempotency_key, row.resource_id]),
  );
  const mismatched = keys.filter(
    (key) => key.paymentIds.length > 0 && stored.get(key.key) !== key.paymentIds[0],
  );
  const withoutKey = (
    await database.query<{ payment_id: string }>(
      `SELECT p.payment_id FROM gateway.payments p
     WHERE p.client_id = ANY($1::text[]) AND p.kind = 'transfer' AND NOT EXISTS (
       SELECT 1 FROM gateway.idempotency_keys k
       WHERE k.client_id = p.client_id AND k.resource_id = p.payment_id)`,
      [clientIds],
    )
  ).rows;
  return [
    {
      name: 'every key accepted (201/202) after retries',
      passed: refused.length + unaccepted.length + dropped === 0,
      detail:
        `${keys.length} keys, ${refused.length} refused with a 4xx` +
        `${listed(refused.map((key) => key.refusal ?? ''))}, ${unaccepted.length} never ` +
        `accepted, ${dropped} never sent (too many outstanding)`,
    },
    {
      name: 'no Idempotency-Key has two payments',
      passed: twice.length + mismatched.length + withoutKey.length === 0,
      detail:
        `${twice.length} keys answered with two payment ids, ${mismatched.length} keys ` +
        `stored with another payment than answered, ${withoutKey.length} payments without a key` +
        listed(withoutKey.map((row) => row.payment_id)),
    },
  ];
}

export function terminalCheck(keys: KeyRecord[]): Check {
  const accepted = keys.filter((key) => key.paymentIds.length > 0);
  const open = accepted.filter((key) => !TERMINAL.has(key.finalStatus ?? ''));
  const byStatus = new Map<string, number>();
  for (const key of accepted) {
    const status = key.finalStatus ?? 'unread';
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }
  const counts = [...byStatus].map(([status, count]) => `${count} ${status}`).join(', ');
  return {
    name: 'every accepted payment terminal',
    passed: open.length === 0,
    detail:
      counts +
      (open.length === 0
        ? ''
        : '; not terminal:' + listed(open.map((key) => `${key.paymentIds[0]} ${key.finalStatus}`))),
  };
}

/** Ledger balances against the deposits, against the payments' final statuses, and the read model. */
export async function moneyChecks(
  database: Pool,
  keys: KeyRecord[],
  accountIds: string[],
  depositMinor: bigint,
): Promise<Check[]> {
  const expected = new Map(accountIds.map((id) => [id, depositMinor]));
  for (const key of keys) {
    if (key.finalStatus !== 'completed') continue;
    const amount = BigInt(key.amountMinor);
    expected.set(key.sourceAccountId, (expected.get(key.sourceAccountId) ?? 0n) - amount);
    expected.set(key.destinationAccountId, (expected.get(key.destinationAccountId) ?? 0n) + amount);
  }
  const ledger = new Map(
    (
      await database.query<{ account_id: string; posted_minor: string }>(
        'SELECT account_id, posted_minor FROM ledger.accounts WHERE account_id = ANY($1::text[])',
        [accountIds],
      )
    ).rows.map((row) => [row.account_id, BigInt(row.posted_minor)]),
  );
  const readModel = new Map(
    (
      await database.query<{ account_id: string; posted_minor: string }>(
        'SELECT account_id, posted_minor FROM gateway.accounts WHERE account_id = ANY($1::text[])',
        [accountIds],
      )
    ).rows.map((row) => [row.account_id, BigInt(row.posted_minor)]),
  );
  const total = [...ledger.values()].reduce((sum, value) => sum + value, 0n);
  const deposits = depositMinor * BigInt(accountIds.length);
  const off = accountIds.filter((id) => ledger.get(id) !== expected.get(id));
  const stale = accountIds.filter((id) => readModel.get(id) !== ledger.get(id));
  return [
    {
      name: 'balances sum to the deposits',
      passed: total === deposits && ledger.size === accountIds.length,
      detail: `${ledger.size} accounts hold ${total} minor units; deposited ${deposits}`,
    },
    {
      name: 'each balance matches its completed payments',
      passed: off.length === 0,
      detail:
        off.length === 0
          ? 'all accounts match'
          : `off: ${sample(
              off.map((id) => `${id} has ${ledger.get(id)}, expected ${expected.get(id)}`),
            )}`,
    },
    {
      name: 'read-model balances equal the ledger',
      passed: stale.length === 0,
      detail: stale.length === 0 ? 'all accounts equal' : `differ: ${sample(stale)}`,
    },
  ];
}

/** `npm run verify` on the run's database, as an operator would run it. */
export function verifyCheck(repoRoot: string, databaseUrl: string): Promise<Check> {
  return new Promise((resolve) => {
    const script = join('tools', 'verify', 'verify-ledger.ts');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', script], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      const lines = output.split('\n').filter((line) => /^(PASS|FAIL|\s+-)/.test(line));
      resolve({
        name: 'npm run verify passes',
        passed: code === 0,
        detail: `exit ${code}: ${lines
          .map((line) => line.trim())
          .join('; ')
          .slice(0, 600)}`,
      });
    });
  });
}
