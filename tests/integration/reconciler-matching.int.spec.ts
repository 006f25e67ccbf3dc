import { StatementEntry, payoutEndToEndId } from '@rtp/contracts';
import { ReconcilerFixture, entry } from '../support/reconciler';

jest.setTimeout(300_000);

const DAY = '2026-03-10';
const DAY_BEFORE = '2026-03-09';
const LINES = 100_000;
const BREAKS = 100;
const BATCH_ENTRIES = 500;
const BATCH_SIZE = 4;
const DEPOSITS = 1_000;

// Payment ids are unique across partners (UUIDs in the platform): the run's partner prefixes them.
let run = '';
const paymentId = (kind: string, index: number) =>
  `${run}${kind}-${String(index).padStart(6, '0')}`;

interface Scenario {
  events: { type: string; data: Record<string, unknown>; time: Date }[];
  entries: StatementEntry[];
  expected: Record<string, string[]>;
  tolerated: string[];
}

/**
 * 100,000 statement lines: plain payouts, batch entries (four payouts each), deposits, fees within
 * tolerance, and 100 breaks of each class: amounts beyond tolerance, payouts we settled that the
 * bank rejected (debit and reversal), payouts settled the day before that the bank never booked,
 * and bank debits we have no record of.
 */
const index2 = (id: string) => id.slice(-2);

function scenario(partnerId: string): Scenario {
  const events: Scenario['events'] = [];
  const entries: StatementEntry[] = [];
  const expected: Record<string, string[]> = {
    amount_mismatch: [],
    status_mismatch: [],
    missing_at_bank: [],
    missing_in_ledger: [],
  };
  const tolerated: string[] = [];
  const settle = (id: string, amount: number, day = DAY) =>
    events.push({
      type: 'PayoutSettled',
      time: new Date(`${day}T12:00:00Z`),
      data: {
        paymentId: id,
        accountId: `acct-${index2(id)}`,
        amountMinor: String(amount),
        currency: 'EUR',
        partnerId,
        partnerReference: `bank-${id}`,
        resolvedBy: null,
      },
    });
  const debit = (id: string, amount: number, over: Partial<StatementEntry> = {}) =>
    entry(`E-${id}`, { endToEndId: payoutEndToEndId(id), amountMinor: String(amount), ...over });
  let lines = 0;
  for (let index = 0; index < BATCH_ENTRIES; index += 1) {
    const ids = [...Array(BATCH_SIZE).keys()].map((n) => paymentId(`batch${n}`, index));
    ids.forEach((id) => settle(id, 500));
    const batch = debit(ids[0], 500 * BATCH_SIZE);
    batch.transactions = ids.map((id) => ({
      ...batch.transactions[0],
      endToEndId: payoutEndToEndId(id),
      amountMinor: '500',
    }));
    entries.push(batch);
    lines += BATCH_SIZE;
  }
  for (let index = 0; index < DEPOSITS; index += 1) {
    const depositId = `bank:${partnerId}:TX${index}`;
    events.push({
      type: 'DepositCompleted',
      time: new Date(`${DAY}T08:00:00Z`),
      data: {
        depositId,
        accountId: `acct-${index % 50}`,
        amountMinor: '2500',
        currency: 'EUR',
        reference: 'in',
      },
    });
    entries.push(
      entry(`C-${index}`, {
        creditDebit: 'CRDT',
        transactionId: `TX${index}`,
        amountMinor: '2500',
      }),
    );
    lines += 1;
  }
  for (let index = 0; index < BREAKS; index += 1) {
    const fee = paymentId('fee', index);
    settle(fee, 10_000);
    entries.push(debit(fee, 10_050));
    tolerated.push(fee);
    const amount = paymentId('amount', index);
    settle(amount, 10_000);
    entries.push(debit(amount, 10_500));
    expected.amount_mismatch.push(amount);
    const status = paymentId('status', index);
    settle(status, 7_000);
    entries.push(debit(status, 7_000));
    const reversal = debit(status, 7_000, { creditDebit: 'CRDT', reversal: true });
    reversal.entryReference = `R-${status}`;
    reversal.transactions[0].reasonCode = 'AC04';
    entries.push(reversal);
    expected.status_mismatch.push(status);
    const missing = paymentId('missing', index);
    settle(missing, 3_000, DAY_BEFORE);
    expected.missing_at_bank.push(missing);
    const phantom = entry(`P-${index}`, { endToEndId: `PHANTOM${index}`, amountMinor: '4200' });
    entries.push(phantom);
    expected.missing_in_ledger.push(`P-${index}`);
    lines += 5;
  }
  for (let index = 0; lines < LINES; index += 1, lines += 1) {
    const id = paymentId('plain', index);
    // Some settled the day before, booked by the bank today: within the one-day window.
    settle(id, 1_000 + (index % 900), index % 10 === 0 ? DAY_BEFORE : DAY);
    entries.push(debit(id, 1_000 + (index % 900)));
  }
  return { events, entries, expected, tolerated };
}

describe('reconciler matching at volume (real Kafka and PostgreSQL)', () => {
  const fixture = new ReconcilerFixture();
  let data: Scenario;

  beforeAll(async () => {
    await fixture.start();
    run = fixture.partnerId;
    data = scenario(fixture.partnerId);
  });
  afterAll(() => fixture.stop());

  describe('when 100,000 lines with 100 breaks of each class are reconciled', () => {
    it('finds and classifies every break, nothing else, within 60 s, and a re-run adds nothing', async () => {
      await fixture.ledgerEvents(data.events);
      await fixture.waitFor(
        'the records',
        async () =>
          (await fixture.count(
            `SELECT count(*) AS n FROM reconciler.records WHERE partner_id = $1`,
          )) === data.events.length,
        120_000,
      );
      const started = Date.now();
      await fixture.statement(DAY, data.entries);
      const report = await fixture.waitFor(
        'the run',
        async () => fixture.reports[0] ?? null,
        120_000,
      );
      const elapsedMs = Date.now() - started;
      const lines = await fixture.count(
        `SELECT count(*) AS n FROM reconciler.statement_lines l JOIN reconciler.statements s
           USING (statement_id) WHERE s.partner_id = $1`,
      );
      console.log(
        `reconciled ${lines} lines: run ${report.durationMs} ms (${Math.round((lines / report.durationMs) * 1_000)} lines/s); ` +
          `ingestion and run ${elapsedMs} ms (${Math.round((lines / elapsedMs) * 1_000)} lines/s)`,
      );
      expect(lines).toBe(LINES);
      expect(report.created).toBe(true);
      expect(elapsedMs).toBeLessThan(60_000);

      const { rows } = await fixture.db.query(
        `SELECT exception_class, exception_id, bank_side, ledger_side FROM reconciler.exceptions
         WHERE partner_id = $1`,
        [fixture.partnerId],
      );
      const found: Record<string, string[]> = {};
      for (const row of rows) {
        const key =
          row.exception_class === 'missing_in_ledger'
            ? row.bank_side[0].entryReference
            : row.ledger_side[0].recordId;
        (found[row.exception_class] ??= []).push(key);
      }
      for (const list of Object.values(found)) list.sort();
      for (const list of Object.values(data.expected)) list.sort();
      expect(found).toEqual(data.expected);

      const {
        rows: [run],
      } = await fixture.db.query(`SELECT summary FROM reconciler.runs WHERE partner_id = $1`, [
        fixture.partnerId,
      ]);
      expect(run.summary.counts).toEqual({
        matched: LINES - 4 * BREAKS,
        amount_mismatch: BREAKS,
        status_mismatch: BREAKS,
        missing_at_bank: BREAKS,
        missing_in_ledger: BREAKS,
      });
      expect(run.summary.newExceptions).toBe(4 * BREAKS);
      expect(run.summary.differencesBooked).toBe(BREAKS);
      // The tolerance rule names this run's partner: each run's partner is a new version of it.
      expect(Object.keys(run.summary.matchedByRule).sort()).toEqual([
        'batch-entry@1',
        'deposit-transaction-id@1',
        expect.stringMatching(/^fee-tolerance@[0-9]+$/),
        'payout-end-to-end@1',
      ]);
      expect(run.summary.matchedByRule['batch-entry@1']).toBe(BATCH_ENTRIES * BATCH_SIZE);
      const differences = await fixture.count(
        `SELECT count(*) AS n FROM reconciler.outbox WHERE message_type = 'BookPartnerDifference'
           AND payload->'data'->>'partnerId' = $1`,
      );
      expect(differences).toBe(BREAKS);

      const outboxBefore = await fixture.count(
        `SELECT count(*) AS n FROM reconciler.outbox WHERE $1 = $1`,
      );
      await fixture.command('RunReconciliation', {
        requestId: `again-${fixture.partnerId}`,
        partnerId: fixture.partnerId,
        date: DAY,
        requestedBy: 'ops',
      });
      const again = await fixture.waitFor('the re-run', async () => fixture.reports[1] ?? null);
      expect(again).toMatchObject({ created: false, runId: report.runId });
      expect(await fixture.count(`SELECT count(*) AS n FROM reconciler.outbox WHERE $1 = $1`)).toBe(
        outboxBefore,
      );
      expect(
        await fixture.count(
          `SELECT count(*) AS n FROM reconciler.exceptions WHERE partner_id = $1`,
        ),
      ).toBe(4 * BREAKS);
    });
  });
});
