import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { payoutEndToEndId } from '@rtp/contracts';
import { REPO_ROOT, requireEnv } from '../support/platform';
import { usePayoutFlow } from '../support/payout-flow';
import { CLOSED_ACCOUNT_IBAN, CREDITOR_IBAN } from '../support/sandbox-bank';

// The whole chain, every part a real process: gateway -> ledger (hold) -> partner adapter -> sandbox
// bank over HTTP -> adapter (status, webhook) -> ledger (settle or release) -> gateway's read model.
jest.setTimeout(240_000);

describe('a payout through the gateway, the ledger, the partner adapter and the sandbox bank', () => {
  const flow = usePayoutFlow();

  it('holds the funds, then completes with the bank reference and one transfer at the bank', async () => {
    const account = await flow.openAccount('10000');
    const created = await flow.payout(account.id, '2500', CREDITOR_IBAN);
    expect(created.status).toBe(201);
    // The ledger's decision is the answer: the funds are held (or, if the bank was already quick,
    // the projection may have moved it on; it never goes back).
    expect(['processing', 'pending', 'completed']).toContain(created.body.status);
    expect(created.body.endToEndId).toBe(payoutEndToEndId(created.body.id));

    const completed = await flow.waitForPayout(created.body.id, 'completed');
    const transfers = await flow.bankTransfers(payoutEndToEndId(created.body.id));
    expect(transfers).toHaveLength(1);
    expect(transfers[0].status).toBe('booked');
    expect(completed.bankReference).toBe(transfers[0].id);
    expect(completed.failureCode).toBeNull();
    expect(completed.statusHistory.map((entry) => entry.status)).toEqual([
      'processing',
      'pending',
      'completed',
    ]);
    expect((await flow.account(account.id)).balance).toEqual({
      posted: '7500',
      pending: '0',
      available: '7500',
    });
  });

  it('answers the same payout for the same key and sends the bank one transfer', async () => {
    const account = await flow.openAccount('5000');
    const key = `flow-${account.id}`;
    const first = await flow.payout(account.id, '1000', CREDITOR_IBAN, key);
    const again = await flow.payout(account.id, '1000', CREDITOR_IBAN, key);
    expect(again.body.id).toBe(first.body.id);
    await flow.waitForPayout(first.body.id, 'completed');
    expect(await flow.bankTransfers(payoutEndToEndId(first.body.id))).toHaveLength(1);
    expect((await flow.account(account.id)).balance.posted).toBe('4000');
  });

  it('fails a payout the bank rejects (closed creditor account) and releases the funds', async () => {
    const account = await flow.openAccount('10000');
    const created = await flow.payout(account.id, '4000', CLOSED_ACCOUNT_IBAN);
    expect(created.status).toBe(201);
    const failed = await flow.waitForPayout(created.body.id, 'failed');
    expect(failed.failureCode).toBe('bank_rejected_ac04');
    const transfers = await flow.bankTransfers(payoutEndToEndId(created.body.id));
    expect(transfers.map((transfer) => transfer.status)).toEqual(['rejected']);
    expect(failed.statusHistory.map((entry) => entry.status)).toEqual([
      'processing',
      'pending',
      'failed',
    ]);
    expect((await flow.account(account.id)).balance).toEqual({
      posted: '10000',
      pending: '0',
      available: '10000',
    });
  });

  it('refuses a payout larger than the balance without calling the bank', async () => {
    const account = await flow.openAccount('1000');
    const created = await flow.payout(account.id, '1001', CREDITOR_IBAN);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'rejected', failureCode: 'insufficient_funds' });
    await sleep(1_000);
    expect(await flow.bankTransfers(payoutEndToEndId(created.body.id))).toHaveLength(0);
  });

  it('escalates none of them (each got the bank word)', async () => {
    const escalated = (await flow.review('payouts')).data.map((payout) => payout.paymentId);
    for (const id of flow.payoutIds) expect(escalated).not.toContain(id);
    expect(flow.payoutIds.length).toBeGreaterThanOrEqual(4);
  });

  it('writes no beneficiary IBAN or name in full to the logs of the gateway, ledger or adapter', () => {
    const logDir = process.env.RTP_TEST_LOG_DIR ?? join(tmpdir(), 'rtp-test-service-logs');
    for (const app of ['gateway', 'ledger', 'partner-adapter']) {
      const log = readFileSync(join(logDir, `${app}.log`), 'utf8');
      expect(log.length).toBeGreaterThan(0);
      for (const secret of [CREDITOR_IBAN, CLOSED_ACCOUNT_IBAN, 'Erika Mustermann'])
        expect({ app, leaked: log.includes(secret) ? secret : null }).toEqual({
          app,
          leaked: null,
        });
    }
  });

  it('rebuilds the payouts read models from both topics as the live projection left them', async () => {
    const database = new Client({ connectionString: requireEnv('DATABASE_URL') });
    await database.connect();
    const ids = flow.payoutIds;
    const snapshot = async () => ({
      payments: (
        await database.query(
          `SELECT payment_id, kind, client_id, source_account_id, amount_minor, currency, status,
             failure_code, reference FROM gateway.payments WHERE payment_id = ANY($1)
           ORDER BY payment_id`,
          [ids],
        )
      ).rows,
      payouts: (
        await database.query(
          'SELECT * FROM gateway.payouts WHERE payment_id = ANY($1) ORDER BY payment_id',
          [ids],
        )
      ).rows,
      history: (
        await database.query(
          `SELECT * FROM gateway.payment_status_history WHERE payment_id = ANY($1)
           ORDER BY payment_id, occurred_at, status`,
          [ids],
        )
      ).rows,
    });
    try {
      await flow.platform.handle('gateway').stop();
      const live = await snapshot();
      expect(live.history.length).toBeGreaterThanOrEqual(10);
      // Damage what only the partner adapter's events tell (`pending`, escalation): the rebuild
      // must replay partner.events.v1 to give it back.
      await database.query(
        `DELETE FROM gateway.payment_status_history WHERE payment_id = ANY($1) AND status = 'pending'`,
        [ids],
      );
      await database.query(
        'UPDATE gateway.payouts SET bank_reference = NULL WHERE payment_id = ANY($1)',
        [ids],
      );
      const rebuild = spawnSync(
        process.execPath,
        ['-r', '@swc-node/register', join('tools', 'rebuild', 'rebuild-gateway.ts')],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json') },
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(`${rebuild.stdout}${rebuild.stderr}`).toContain('rebuilt in');
      expect(rebuild.status).toBe(0);
      expect(await snapshot()).toEqual(live);
    } finally {
      await database.end();
    }
  });
});
