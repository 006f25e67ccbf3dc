import { DayInput } from './day-outcome';
import { matchDay } from './match-day';
import { RULE_IDS, RuleId } from './matching-rules';
import { BankLine, LedgerRecord } from './records';

const DAY = '2026-03-02';
const rules = new Map<RuleId, number>(Object.values(RULE_IDS).map((id) => [id, 1]));

function payout(id: string, over: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    kind: 'payout',
    recordId: id,
    accountId: `acc-${id}`,
    partnerId: 'sandbox',
    creditDebit: 'DBIT',
    amountMinor: 1_000n,
    currency: 'EUR',
    status: 'completed',
    endToEndId: `e2e${id}`,
    bankTransactionId: null,
    date: DAY,
    matchedBefore: false,
    ...over,
  };
}

function line(ref: string, over: Partial<BankLine> = {}): BankLine {
  return {
    lineId: `stmt/${ref}/0`,
    lineKey: `DE89370400440532013000:EUR/${ref}/0`,
    statementId: 'stmt',
    entryReference: ref,
    transactionIndex: 0,
    transactionCount: 1,
    creditDebit: 'DBIT',
    amountMinor: 1_000n,
    currency: 'EUR',
    bookingDate: DAY,
    reversal: false,
    endToEndId: null,
    transactionId: null,
    reasonCode: null,
    ...over,
  };
}

const input = (records: LedgerRecord[], lines: BankLine[]): DayInput => ({
  partnerId: 'sandbox',
  date: DAY,
  records,
  lines,
  rules,
  parameters: { dateWindowDays: 0, feeTolerancePartnerId: 'sandbox', feeToleranceMinor: 50n },
});

describe('matchDay', () => {
  it('matches a settled payout 1:1 by end-to-end id and amount', () => {
    const out = matchDay(input([payout('1')], [line('a', { endToEndId: 'e2e1' })]));
    expect(out.matches).toEqual([
      { lineId: 'stmt/a/0', recordId: '1', rule: { ruleId: 'payout-end-to-end', version: 1 } },
    ]);
    expect(out.exceptions).toEqual([]);
  });

  it('books a fee within tolerance as its own difference and matches', () => {
    const out = matchDay(
      input([payout('1')], [line('a', { endToEndId: 'e2e1', amountMinor: 1_030n })]),
    );
    expect(out.matches[0].rule.ruleId).toBe('fee-tolerance');
    expect(out.differences.map((d) => d.amountMinor)).toEqual([30n]);
  });

  it('keys a line we never sent by its entry, the same in another file of the statement', () => {
    const refetched = { statementId: 'stmt-2', lineId: 'stmt-2/b/0' };
    const [first, again] = [{}, refetched].map((over) =>
      matchDay(input([], [line('b', { endToEndId: 'nobody', ...over })])),
    );
    expect(first.exceptions.map((e) => e.key)).toEqual(['DE89370400440532013000:EUR/b/0']);
    expect(again.exceptions.map((e) => e.key)).toEqual(first.exceptions.map((e) => e.key));
  });

  it('classifies an amount beyond tolerance, an unknown line, a missing payout, a rejection', () => {
    const out = matchDay(
      input(
        [payout('1'), payout('2'), payout('3')],
        [
          line('a', { endToEndId: 'e2e1', amountMinor: 1_500n }),
          line('b', { endToEndId: 'nobody' }),
          line('c', { endToEndId: 'e2e3' }),
          line('d', {
            endToEndId: 'e2e3',
            creditDebit: 'CRDT',
            reversal: true,
            reasonCode: 'AC04',
          }),
        ],
      ),
    );
    expect(out.matches).toEqual([]);
    expect(out.exceptions.map((e) => [e.exceptionClass, e.key, e.amountAtRiskMinor])).toEqual([
      ['missing_in_ledger', 'DE89370400440532013000:EUR/b/0', 1_000n],
      ['amount_mismatch', '1', 500n],
      ['status_mismatch', '3', 1_000n],
      ['missing_at_bank', '2', 1_000n],
    ]);
    expect(out.exceptions[2].acceptBank).toEqual({
      command: 'ReturnPayout',
      reasonCode: 'bank_rejected_ac04',
    });
  });

  it('resolves pending payouts the statement proves: booked settles, reversed releases', () => {
    const out = matchDay(
      input(
        [payout('1', { status: 'pending', date: null }), payout('2', { status: 'pending' })],
        [
          line('a', { endToEndId: 'e2e1' }),
          line('b', { endToEndId: 'e2e2' }),
          line('c', { endToEndId: 'e2e2', creditDebit: 'CRDT', reversal: true }),
        ],
      ),
    );
    expect(
      out.resolutions.map((r) => [r.record.recordId, r.resolution, r.evidence.lineId]),
    ).toEqual([
      ['1', 'settle', 'stmt/a/0'],
      ['2', 'release', 'stmt/c/0'],
    ]);
    expect(out.matches).toHaveLength(3);
  });

  it('matches a batch entry 1:N and a split booking N:1', () => {
    const batch = { transactionCount: 2 };
    const out = matchDay(
      input(
        [payout('1'), payout('2'), payout('3', { amountMinor: 3_000n })],
        [
          line('a', { ...batch, endToEndId: 'e2e1' }),
          line('a', {
            ...batch,
            lineId: 'stmt/a/1',
            lineKey: 'DE89370400440532013000:EUR/a/1',
            transactionIndex: 1,
            endToEndId: 'e2e2',
          }),
          line('b', { endToEndId: 'e2e3', amountMinor: 1_000n }),
          line('c', { endToEndId: 'e2e3', amountMinor: 2_000n }),
        ],
      ),
    );
    expect(out.matches.map((m) => m.rule.ruleId)).toEqual([
      'batch-entry',
      'batch-entry',
      'split-booking',
      'split-booking',
    ]);
  });

  it('matches a deposit by the bank transaction id', () => {
    const deposit = payout('bank:sandbox:TX1', {
      kind: 'deposit',
      creditDebit: 'CRDT',
      endToEndId: null,
      bankTransactionId: 'TX1',
    });
    const out = matchDay(
      input([deposit], [line('a', { creditDebit: 'CRDT', transactionId: 'TX1' })]),
    );
    expect(out.matches.map((m) => m.rule.ruleId)).toEqual(['deposit-transaction-id']);
  });
});
