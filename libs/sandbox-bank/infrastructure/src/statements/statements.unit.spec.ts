import { XMLParser } from 'fast-xml-parser';
import { parse } from 'csv-parse/sync';
import { buildStatements, statementEntry as entry } from '@rtp/sandbox-bank/domain';
import { CAMT053_NAMESPACE, camt053Xml } from './camt053';
import { STATEMENT_CSV_COLUMNS, statementCsv } from './statement-csv';

const statements = buildStatements({
  accountIban: 'DE89370400440532013000',
  date: '2026-12-01',
  createdAt: '2026-12-02T00:00:00.000Z',
  openingByCurrency: new Map([['EUR', 100_000n]]),
  entries: [
    entry(),
    entry({
      entryReference: 'ent_2',
      kind: 'transfer_returned',
      creditDebit: 'CRDT',
      amountMinor: 990n,
      reasonCode: 'AC04',
      endToEndId: 'E2E-2',
    }),
    entry({ entryReference: 'ent_3', currency: 'JPY', amountMinor: 70n, endToEndId: 'E2E-3' }),
  ],
});

describe('the camt.053 statement', () => {
  const xml = camt053Xml(statements, 'MSG-1', '2026-12-02T00:00:00.000Z');
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    isArray: (name) => ['Stmt', 'Ntry', 'Bal'].includes(name),
  });
  const document = parser.parse(xml).Document;
  const [eur, jpy] = document.BkToCstmrStmt.Stmt;

  it('is a camt.053.001.08 document per currency for our account', () => {
    expect(document['@_xmlns']).toBe(CAMT053_NAMESPACE);
    expect(eur.Acct.Id.IBAN).toBe('DE89370400440532013000');
    expect([eur.Acct.Ccy, jpy.Acct.Ccy]).toEqual(['EUR', 'JPY']);
  });

  it('carries the balances and the entries as decimals of the currency', () => {
    expect(eur.Bal.map((b: any) => [b.Tp.CdOrPrtry.Cd, b.Amt['#text'], b.CdtDbtInd])).toEqual([
      ['OPBD', '1000.00', 'CRDT'],
      ['CLBD', '997.40', 'CRDT'],
    ]);
    expect(eur.Ntry.map((n: any) => [n.Amt['#text'], n.Amt['@_Ccy'], n.CdtDbtInd])).toEqual([
      ['12.50', 'EUR', 'DBIT'],
      ['9.90', 'EUR', 'CRDT'],
    ]);
    expect(jpy.Ntry[0].Amt['#text']).toBe('70');
    expect(jpy.Bal[1]).toMatchObject({ CdtDbtInd: 'DBIT', Amt: { '#text': '70' } });
  });

  it('names each entry by our end-to-end id and the bank reference, booked', () => {
    const [booked, returned] = eur.Ntry;
    expect(booked).toMatchObject({
      Sts: { Cd: 'BOOK' },
      BookgDt: { Dt: '2026-12-01' },
      ValDt: { Dt: '2026-12-01' },
      AcctSvcrRef: 'ent_1',
      NtryDtls: { TxDtls: { Refs: { EndToEndId: 'E2E-1', AcctSvcrRef: 'trf_1' } } },
    });
    expect(booked.NtryDtls.TxDtls.RmtInf.Ustrd).toBe('invoice 7');
    expect(returned.NtryDtls.TxDtls.RtrInf.Rsn.Cd).toBe('AC04');
    expect(returned.BkTxCd.Domn.Fmly.SubFmlyCd).toBe('RRTN');
  });
});

describe('the CSV statement', () => {
  const records: Record<string, string>[] = parse(statementCsv(statements), { columns: true });

  it('has the documented header and one row per entry', () => {
    expect(statementCsv(statements).split('\n')[0]).toBe(STATEMENT_CSV_COLUMNS.join(','));
    expect(records.map((r) => [r.endToEndId, r.amount, r.amountMinor, r.creditDebit])).toEqual([
      ['E2E-1', '12.50', '1250', 'DBIT'],
      ['E2E-2', '9.90', '990', 'CRDT'],
      ['E2E-3', '70', '70', 'DBIT'],
    ]);
  });
});
