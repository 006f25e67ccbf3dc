import { parseStatementFile } from './parse-statement-file';
import { FIXTURE_IBAN, camtFixture, csvFixture } from './statement-fixtures';
import type { StatementParseResult } from './statement-file';

const problemOf = (result: StatementParseResult) => {
  if (result.ok) throw new Error('expected a refusal');
  return result.problem;
};
const fileOf = (result: StatementParseResult) => {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problem)}`);
  return result.file;
};

describe('a valid statement', () => {
  it.each([
    ['camt.053.001.08', () => parseStatementFile(camtFixture(), 'xml')],
    ['camt.053.001.02', () => parseStatementFile(camtFixture({ version: '02' }), 'xml')],
    ['csv', () => parseStatementFile(csvFixture(), 'csv')],
  ])('in %s normalizes to the same statement', async (format, parse) => {
    const file = fileOf(await parse());
    expect(file.format).toBe(format);
    const [statement] = file.statements;
    expect(statement).toMatchObject({
      bankStatementId: 'STMT-2026-12-01-EUR',
      accountIban: FIXTURE_IBAN,
      currency: 'EUR',
      date: '2026-12-01',
      openingMinor: 100_000n,
      closingMinor: 110_000n,
    });
    expect(
      statement.entries.map((entry) => [
        entry.entryReference,
        entry.creditDebit,
        entry.amountMinor,
        entry.reversal,
        entry.transactions[0].endToEndId,
        entry.transactions[0].reasonCode,
      ]),
    ).toEqual([
      ['ent_1', 'DBIT', '1250', false, 'E2E-1', null],
      ['ent_2', 'CRDT', '1250', true, 'E2E-1', 'AC04'],
      ['ent_3', 'CRDT', '10000', false, 'DEP-1', null],
    ]);
    expect(statement.entries[0].transactions[0]).toMatchObject({
      transactionId: 'trf_ent_1',
      counterpartyIban: 'DE50100000000000000001',
      counterpartyName: 'Ada',
    });
  });

  it('keeps a batch entry with its transactions (1:N)', async () => {
    const tx = (ref: string, amount: string) =>
      `<TxDtls><Refs><EndToEndId>${ref}</EndToEndId></Refs><Amt Ccy="EUR">${amount}</Amt></TxDtls>`;
    const xml = camtFixture({
      entries: [
        {
          ref: 'batch',
          amount: '100.00',
          creditDebit: 'CRDT',
          detailsXml: tx('A', '60.00') + tx('B', '40.00'),
        },
      ],
    });
    const [entry] = fileOf(await parseStatementFile(xml, 'xml')).statements[0].entries;
    expect(entry.transactions.map((t) => [t.endToEndId, t.amountMinor])).toEqual([
      ['A', '6000'],
      ['B', '4000'],
    ]);
  });
});

describe('a malformed statement is refused whole, naming the line or the element', () => {
  const refused = async (content: string, kind: 'xml' | 'csv' = 'xml') =>
    problemOf(await parseStatementFile(content, kind));

  it.each<[string, () => string, string, RegExp | string | null]>([
    [
      'bad XML',
      () => camtFixture().replace('</Acct>', '</Account>'),
      'not_well_formed',
      /^line \d+$/,
    ],
    [
      'a DOCTYPE',
      () => camtFixture().replace('<Document', '<!DOCTYPE x [<!ENTITY a "b">]>\n<Document'),
      'doctype_forbidden',
      null,
    ],
    [
      'the wrong namespace',
      () => camtFixture({ namespace: 'urn:iso:std:iso:20022:tech:xsd:camt.052.001.08' }),
      'wrong_namespace',
      'Document',
    ],
    ['no namespace', () => camtFixture({ namespace: '' }), 'wrong_namespace', 'Document'],
    [
      'an entry without amount',
      () =>
        camtFixture({ entries: [{ ref: 'e', amount: '1.00', amountXml: '' }], closing: '1000.00' }),
      'schema_invalid',
      /^line \d+$/,
    ],
    [
      'an unknown element',
      () => camtFixture().replace('<CdtDbtInd>DBIT', '<Foo/><CdtDbtInd>DBIT'),
      'schema_invalid',
      /^line \d+$/,
    ],
    [
      'duplicated entry ids',
      () =>
        camtFixture({
          entries: [
            { ref: 'same', amount: '50.00', creditDebit: 'CRDT' },
            { ref: 'same', amount: '50.00', creditDebit: 'CRDT' },
          ],
        }),
      'duplicate_entry',
      'Stmt[1]/Ntry[2]',
    ],
    [
      'entries that do not add up to the balances',
      () => camtFixture({ closing: '1100.01' }),
      'balance_mismatch',
      'Stmt[1]',
    ],
    [
      'a wrong entry count',
      () => camtFixture({ count: 4 }),
      'count_mismatch',
      'Stmt[1]/TxsSummry/TtlNtries/NbOfNtries',
    ],
    [
      'too many decimals for the currency',
      () => camtFixture({ entries: [{ ref: 'e', amount: '100.001', creditDebit: 'CRDT' }] }),
      'invalid_value',
      'Stmt[1]/Ntry[1]/Amt',
    ],
    [
      'an entry in another currency',
      () =>
        camtFixture({
          entries: [
            {
              ref: 'e',
              amount: '100.00',
              creditDebit: 'CRDT',
              amountXml: '<Amt Ccy="USD">100.00</Amt>',
            },
          ],
        }),
      'currency_mismatch',
      'Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]',
    ],
    [
      'a batch whose transactions do not add up',
      () =>
        camtFixture({
          entries: [
            {
              ref: 'b',
              amount: '100.00',
              creditDebit: 'CRDT',
              detailsXml:
                '<TxDtls><Amt Ccy="EUR">60.00</Amt></TxDtls><TxDtls><Amt Ccy="EUR">30.00</Amt></TxDtls>',
            },
          ],
        }),
      'balance_mismatch',
      'Stmt[1]/Ntry[1]',
    ],
    ['an empty file', () => '  ', 'empty', null],
  ])('%s', async (_name, content, kind, location) => {
    const problem = await refused(content());
    expect(problem).toMatchObject({ code: 'statement_malformed', kind });
    if (location instanceof RegExp) expect(problem.location).toMatch(location);
    else expect(problem.location).toBe(location);
    expect(problem.detail.length).toBeGreaterThan(5);
  });

  it('says which element the XSD missed in an entry without amount', async () => {
    const xml = camtFixture({
      entries: [{ ref: 'e', amount: '1.00', amountXml: '' }],
      closing: '1000.00',
    });
    const problem = await refused(xml);
    const line = xml.split('\n').findIndex((text) => text.startsWith('<Ntry>')) + 1;
    expect(problem.location).toBe(`line ${line}`);
    expect(problem.detail).toMatch(/Amt/);
  });

  const csvRow = (
    ref: string,
    amount: string,
    minor: string,
    after: string,
    kind = 'credit_booked',
  ) =>
    `STMT-2026-12-01-EUR,${FIXTURE_IBAN},2026-12-01,2026-12-01,${ref},trf,E2E,${kind},CRDT,` +
    `${amount},${minor},EUR,DE50100000000000000001,Ada,,,2026-12-01,${after}`;

  it.each<[string, () => string, string, string | null]>([
    ['a wrong header', () => csvFixture().replace('statementId', 'id'), 'csv_header', 'line 1'],
    [
      'a row with a missing column',
      () => csvFixture([csvRow('a', '1.00', '100', '100100').replace(',Ada,', ',')]),
      'csv_syntax',
      'line 2',
    ],
    [
      'a row without amount',
      () => csvFixture([csvRow('a', '', '', '100000')]),
      'invalid_value',
      'line 2, amount',
    ],
    [
      'amounts that disagree',
      () => csvFixture([csvRow('a', '1.00', '101', '100100')]),
      'invalid_value',
      'line 2',
    ],
    [
      'a balance that does not follow',
      () =>
        csvFixture([csvRow('a', '1.00', '100', '100100'), csvRow('b', '1.00', '100', '100300')]),
      'balance_mismatch',
      'line 3, balanceAfterMinor',
    ],
    [
      'duplicated entry ids',
      () =>
        csvFixture([csvRow('a', '1.00', '100', '100100'), csvRow('a', '1.00', '100', '100200')]),
      'duplicate_entry',
      'line 3',
    ],
    [
      'an unknown kind',
      () => csvFixture([csvRow('a', '1.00', '100', '100100', 'gift')]),
      'invalid_value',
      'line 2, kind',
    ],
    ['no rows', () => csvFixture([]), 'empty', null],
  ])('CSV: %s', async (_name, content, kind, location) => {
    expect(await refused(content(), 'csv')).toMatchObject({
      code: 'statement_malformed',
      kind,
      location,
    });
  });
});
