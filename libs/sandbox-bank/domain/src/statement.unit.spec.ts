import { faultSettingsSchema } from './fault-settings';
import { minorToDecimal } from './money-text';
import { buildStatements } from './statement';
import { applyStatementDefects } from './statement-defects';
import { statementEntry as entry } from './test-statements';

const day = {
  accountIban: 'DE89370400440532013000',
  date: '2026-12-01',
  createdAt: '2026-12-02T00:00:00.000Z',
  openingByCurrency: new Map([['EUR', 100_000n]]),
  entries: [
    entry(),
    entry({
      entryReference: 'ent_2',
      kind: 'credit_booked',
      creditDebit: 'CRDT',
      amountMinor: 300n,
    }),
    entry({ entryReference: 'ent_3', currency: 'JPY', amountMinor: 70n }),
  ],
};

describe('the day statement', () => {
  it('has one statement per currency whose closing balance adds up', () => {
    const [eur, jpy] = buildStatements(day);
    expect(eur).toMatchObject({ currency: 'EUR', openingMinor: 100_000n, closingMinor: 99_050n });
    expect(eur.entries.map((e) => e.entryReference)).toEqual(['ent_1', 'ent_2']);
    expect(jpy).toMatchObject({ currency: 'JPY', openingMinor: 0n, closingMinor: -70n });
  });

  it.each([
    [1_250n, 2, '12.50'],
    [5n, 2, '0.05'],
    [70n, 0, '70'],
    [1_234_567n, 3, '1234.567'],
    [-1_250n, 2, '-12.50'],
  ])('writes %s minor units with exponent %s as %s', (minor, exponent, text) => {
    expect(minorToDecimal(minor, exponent)).toBe(text);
  });
});

describe('statement defects', () => {
  const [statement] = buildStatements(day);
  const settings = (values: object) => faultSettingsSchema.parse({ statements: values }).statements;

  it('leaves the statement alone without defects', () => {
    expect(applyStatementDefects(statement, settings({}), 1)).toEqual({ statement, defects: [] });
  });

  it('drops every entry at rate 1, the balances following what the statement shows', () => {
    const result = applyStatementDefects(statement, settings({ missingEntryRate: 1 }), 1);
    expect(result.statement.entries).toEqual([]);
    expect(result.statement.closingMinor).toBe(statement.openingMinor);
  });

  it('takes the fee off and shifts the date by a day', () => {
    const result = applyStatementDefects(
      statement,
      settings({ feeRate: 1, feeMinor: 150, shiftedDateRate: 1 }),
      1,
    );
    expect(result.statement.entries.map((e) => [e.amountMinor, e.bookingDate])).toEqual([
      [1_100n, '2026-12-02'],
      [150n, '2026-12-02'],
    ]);
  });

  it('adds entries we never sent', () => {
    const result = applyStatementDefects(statement, settings({ unknownEntries: 2 }), 1);
    expect(result.statement.entries).toHaveLength(4);
    expect(result.defects).toEqual(['statement_unknown_entry', 'statement_unknown_entry']);
  });

  it('gives the same statement the same defects every time', () => {
    const half = settings({ missingEntryRate: 0.5, feeRate: 0.5, shiftedDateRate: 0.5 });
    expect(applyStatementDefects(statement, half, 11)).toEqual(
      applyStatementDefects(statement, half, 11),
    );
  });
});
