import { payoutEndToEndId } from '@rtp/contracts';
import { CLOSED_ACCOUNT_IBAN, CREDITOR_IBAN } from '../support/sandbox-bank';
import { FlowPayout, useReconciliationFlow } from '../support/reconciliation-flow';

// The reconciler's issue on the real services: payouts through the gateway, the ledger, the
// partner adapter and the sandbox bank, two of them left pending by the bank's faults (its
// answers come after the adapter gave up, its webhooks are lost); an admin's on-demand run
// fetches the day's statement through the adapter and the reconciler resolves them, books a
// tolerated fee and opens an exception for an entry we never sent; a second run creates nothing.
jest.setTimeout(300_000);

/** Every answer of the bank comes after the adapter's 2 s timeouts: the request still applies. */
const SLOW_BANK = { latencyMs: { min: 4_000, median: 4_000, p99: 4_000 } };
/** The statement's defects: a fee of 0.90 on entries above it, one entry we never sent. */
const STATEMENT_DEFECTS = { statements: { feeRate: 1, feeMinor: 90, unknownEntries: 1 } };

describe('a reconciliation run on the real services', () => {
  const flow = useReconciliationFlow();
  let accountId: string;
  let feePayout: FlowPayout;
  let bookedPayout: FlowPayout;
  let rejectedPayout: FlowPayout;
  let requestId: string;
  let runId: string;

  beforeAll(async () => {
    accountId = await flow.openAccount('100000');
    // Settled the usual way (the adapter asks the bank): the statement will show it 0.90 short.
    feePayout = await flow.payout(accountId, '5000', CREDITOR_IBAN);
    await flow.waitForPayout(feePayout.id, 'completed');
    expect((await flow.bank.setFaults({ ...SLOW_BANK, ...STATEMENT_DEFECTS })).status).toBe(200);
    // Under 0.90, so no fee: these two match their amounts exactly.
    bookedPayout = await flow.payout(accountId, '80', CREDITOR_IBAN);
    rejectedPayout = await flow.payout(accountId, '70', CLOSED_ACCOUNT_IBAN);
    for (const [payout, status] of [
      [bookedPayout, 'booked'],
      [rejectedPayout, 'rejected'],
    ] as const) {
      await flow.waitForPayout(payout.id, 'pending');
      const endToEndId = payoutEndToEndId(payout.id);
      await flow.until(
        `the bank's ${status}`,
        async () => (await flow.bankStatus(endToEndId)) === status,
      );
    }
  }, 240_000);

  it('leaves the payouts pending while the bank answers too late', async () => {
    // Several status queries later (every 0.2-1 s), the adapter still has no answer.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await flow.readPayout(bookedPayout.id)).status).toBe('pending');
    expect((await flow.readPayout(rejectedPayout.id)).status).toBe('pending');
  });

  it('completes the payout the statement proves booked and releases the one proven rejected', async () => {
    requestId = await flow.requestRun();
    const statementId = await flow.fetchedStatement(requestId);
    runId = await flow.runOf(`statement:${statementId}`);
    const completed = await flow.waitForPayout(bookedPayout.id, 'completed');
    expect(completed.statusHistory.map((entry) => entry.status)).toEqual([
      'processing',
      'pending',
      'completed',
    ]);
    const failed = await flow.waitForPayout(rejectedPayout.id, 'failed');
    // The bank's reason, from the statement's reversal, as if the bank had told us.
    expect(failed.failureCode).toBe('bank_rejected_ac04');
    const settled = await flow.ledgerEvents('PayoutSettled', 'paymentId', [bookedPayout.id]);
    expect(settled).toHaveLength(1);
    expect(settled[0].data).toMatchObject({ resolvedBy: 'reconciler' });
    const released = await flow.ledgerEvents('PayoutReleased', 'paymentId', [rejectedPayout.id]);
    expect(released).toHaveLength(1);
    expect(released[0].data).toMatchObject({ resolvedBy: 'reconciler' });
    // The held funds: 5000 paid, 80 paid, 70 back; 100000 - 5080 posted, nothing held.
    const account = await flow.client.get<any>(`/v1/accounts/${accountId}`);
    expect(account.body.balance).toEqual({ posted: '94920', pending: '0', available: '94920' });
  });

  it('books the tolerated fee as its own journal in the ledger', async () => {
    const booked = await flow.until('PartnerDifferenceBooked', async () => {
      const rows = await flow.ledgerEvents('PartnerDifferenceBooked', 'partnerId', [
        flow.partnerId,
      ]);
      return rows.length > 0 ? rows : null;
    });
    expect(booked).toHaveLength(1);
    expect(booked[0].data).toMatchObject({
      accountId,
      currency: 'EUR',
      amountMinor: '-90',
      reasonCode: 'partner_fee_tolerated',
      actor: 'reconciler',
    });
    const journal = await flow.rows(
      `SELECT account_id, amount_minor::text AS amount FROM ledger.entries
       WHERE journal_id IN (SELECT journal_id FROM ledger.journals WHERE command_id = $1)
       ORDER BY amount_minor`,
      [booked[0].command_id],
    );
    expect(journal).toHaveLength(2);
    expect(journal.map((row) => BigInt(row.amount)).reduce((a, b) => a + b, 0n)).toBe(0n);
  });

  it('lists the entry we never sent as missing in the ledger, with both sides', async () => {
    const open = await flow.until('the exception', async () => {
      const found = await flow.exceptions();
      return found.length > 0 ? found : null;
    });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ class: 'missing_in_ledger', status: 'open', currency: 'EUR' });
    const detail = await flow.admin.get<any>(
      `/v1/admin/reconciliation/exceptions/${encodeURIComponent(open[0].id)}`,
    );
    expect(detail.body.ledgerSide).toEqual([]);
    expect(detail.body.bankSide).toHaveLength(1);
    expect(detail.body.bankSide[0]).toMatchObject({
      creditDebit: 'DBIT',
      amount: open[0].amountAtRisk,
    });
    expect(JSON.stringify(detail.body.bankSide[0])).toContain('PHANTOM-');
  });

  it('lists the run with its counts and the rules in force', async () => {
    const run = await flow.until('the run in the gateway', async () =>
      (await flow.runs()).find((each) => each.id === runId),
    );
    expect(run).toMatchObject({
      statementFound: true,
      linesTotal: 5,
      counts: expect.objectContaining({ matched: 4, missing_in_ledger: 1 }),
      newExceptions: 1,
      autoResolved: 2,
      differencesBooked: 1,
    });
    // The on-demand run waited for the statement it also fetched: no empty run before it.
    expect((await flow.runs()).filter((each) => !each.statementFound)).toEqual([]);
    expect(Object.keys(run.matchedByRule)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^fee-tolerance@\d+$/)]),
    );
    const rules = await flow.admin.get<{ data: Record<string, any>[] }>(
      '/v1/admin/reconciliation/rules',
    );
    const active = rules.body.data.filter((rule) => rule.active);
    expect(active.map((rule) => rule.ruleId)).toEqual(
      expect.arrayContaining(['payout-end-to-end', 'fee-tolerance', 'pending-proven-by-statement']),
    );
  });

  it('creates nothing new when the day is run again', async () => {
    const ledgerEvents = () =>
      flow.rows(`SELECT count(*)::int AS n FROM ledger.events WHERE account_id = $1`, [accountId]);
    const ledgerBefore = await ledgerEvents();
    const exceptionIds = async () => (await flow.exceptions(null)).map((e) => e.id);
    const exceptionsBefore = await exceptionIds();
    expect(exceptionsBefore).toHaveLength(1);
    /** Fetches the day's statement again (another file, same entries) and runs on it. */
    const runAgain = async () => {
      const again = await flow.requestRun();
      const statementId = await flow.fetchedStatement(again);
      const id = await flow.runOf(`statement:${statementId}`);
      await flow.runOf(`on-demand:${again}`);
      return id;
    };
    // The ledger moved since the first run (both payouts are final now): the second run finds
    // them matched rather than proven, so it is a run of its own, which opens and books nothing.
    const second = await runAgain();
    const shown = await flow.until('the second run in the gateway', async () =>
      (await flow.runs()).find((each) => each.id === second),
    );
    expect(shown).toMatchObject({
      linesTotal: 5,
      counts: expect.objectContaining({ matched: 4, missing_in_ledger: 1 }),
      newExceptions: 0,
      autoResolved: 0,
      differencesBooked: 0,
    });
    const runsBefore = await flow.runs();
    // Nothing moved since: the same run, nothing written or published.
    expect(await runAgain()).toBe(second);
    expect(await exceptionIds()).toEqual(exceptionsBefore);
    expect(await flow.runs()).toEqual(runsBefore);
    expect(await ledgerEvents()).toEqual(ledgerBefore);
  });
});
