/** Small statement files for tests: a valid one by default, each part replaceable. */
export interface FixtureEntry {
  ref: string;
  amount: string;
  creditDebit?: 'CRDT' | 'DBIT';
  endToEndId?: string;
  reversal?: boolean;
  reasonCode?: string;
  /** Replaces the `<Amt>` element (an empty string leaves the entry without amount). */
  amountXml?: string;
  /** Replaces the transaction details (for batches). */
  detailsXml?: string;
}

export const FIXTURE_IBAN = 'DE89370400440532013000';

const defaultEntries: FixtureEntry[] = [
  { ref: 'ent_1', amount: '12.50', endToEndId: 'E2E-1' },
  {
    ref: 'ent_2',
    amount: '12.50',
    endToEndId: 'E2E-1',
    creditDebit: 'CRDT',
    reversal: true,
    reasonCode: 'AC04',
  },
  { ref: 'ent_3', amount: '100.00', endToEndId: 'DEP-1', creditDebit: 'CRDT' },
];

function entryXml(entry: FixtureEntry, version: '08' | '02'): string {
  const creditDebit = entry.creditDebit ?? 'DBIT';
  const amount = entry.amountXml ?? `<Amt Ccy="EUR">${entry.amount}</Amt>`;
  const party = version === '02' ? '<Nm>Ada</Nm>' : '<Pty><Nm>Ada</Nm></Pty>';
  const txAmount =
    version === '02'
      ? `<AmtDtls><TxAmt><Amt Ccy="EUR">${entry.amount}</Amt></TxAmt></AmtDtls>`
      : `<Amt Ccy="EUR">${entry.amount}</Amt>`;
  const details =
    entry.detailsXml ??
    `<TxDtls><Refs><AcctSvcrRef>trf_${entry.ref}</AcctSvcrRef>` +
      `<EndToEndId>${entry.endToEndId ?? 'NOTPROVIDED'}</EndToEndId></Refs>${txAmount}` +
      `<RltdPties><Cdtr>${party}</Cdtr><CdtrAcct><Id><IBAN>DE50100000000000000001</IBAN></Id>` +
      `</CdtrAcct></RltdPties>` +
      (entry.reasonCode ? `<RtrInf><Rsn><Cd>${entry.reasonCode}</Cd></Rsn></RtrInf>` : '') +
      `</TxDtls>`;
  return (
    `<Ntry><NtryRef>${entry.ref}</NtryRef>${amount}<CdtDbtInd>${creditDebit}</CdtDbtInd>` +
    (entry.reversal ? '<RvslInd>true</RvslInd>' : '') +
    (version === '02' ? '<Sts>BOOK</Sts>' : '<Sts><Cd>BOOK</Cd></Sts>') +
    `<BookgDt><Dt>2026-12-01</Dt></BookgDt><ValDt><Dt>2026-12-01</Dt></ValDt>` +
    `<AcctSvcrRef>${entry.ref}</AcctSvcrRef>` +
    `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>` +
    `<NtryDtls>${details}</NtryDtls></Ntry>`
  );
}

const balanceXml = (code: string, amount: string) =>
  `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt>` +
  `<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>`;

/** A camt.053 document of one EUR statement: 1000.00 opening, 1100.00 closing by default. */
export function camtFixture(
  options: {
    version?: '08' | '02';
    namespace?: string;
    entries?: FixtureEntry[];
    closing?: string;
    count?: number;
  } = {},
): string {
  const version = options.version ?? '08';
  const entries = options.entries ?? defaultEntries;
  const namespace = options.namespace ?? `urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="${namespace}">`,
    '<BkToCstmrStmt><GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-12-02T00:10:00Z</CreDtTm></GrpHdr>',
    '<Stmt><Id>STMT-2026-12-01-EUR</Id><CreDtTm>2026-12-02T00:10:00Z</CreDtTm>',
    '<FrToDt><FrDtTm>2026-12-01T00:00:00Z</FrDtTm><ToDtTm>2026-12-01T23:59:59Z</ToDtTm></FrToDt>',
    `<Acct><Id><IBAN>${FIXTURE_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>`,
    balanceXml('OPBD', '1000.00'),
    balanceXml('CLBD', options.closing ?? '1100.00'),
    `<TxsSummry><TtlNtries><NbOfNtries>${options.count ?? entries.length}</NbOfNtries></TtlNtries></TxsSummry>`,
    ...entries.map((entry) => entryXml(entry, version)),
    '</Stmt></BkToCstmrStmt></Document>',
  ].join('\n');
}

const CSV_HEADER =
  'statementId,accountIban,bookingDate,valueDate,entryReference,transactionId,endToEndId,kind,' +
  'creditDebit,amount,amountMinor,currency,counterpartyIban,counterpartyName,' +
  'remittanceInformation,reasonCode,statementDate,balanceAfterMinor';

/** The sandbox bank's CSV of the same statement as `camtFixture`. */
export function csvFixture(rows?: string[]): string {
  const row = (
    ref: string,
    kind: string,
    sign: string,
    amount: string,
    minor: string,
    e2e: string,
    reason: string,
    after: string,
  ) =>
    `STMT-2026-12-01-EUR,${FIXTURE_IBAN},2026-12-01,2026-12-01,${ref},trf_${ref},${e2e},${kind},` +
    `${sign},${amount},${minor},EUR,DE50100000000000000001,Ada,,${reason},2026-12-01,${after}`;
  return [
    CSV_HEADER,
    ...(rows ?? [
      row('ent_1', 'transfer_booked', 'DBIT', '12.50', '1250', 'E2E-1', '', '98750'),
      row('ent_2', 'transfer_reversed', 'CRDT', '12.50', '1250', 'E2E-1', 'AC04', '100000'),
      row('ent_3', 'credit_booked', 'CRDT', '100.00', '10000', 'DEP-1', '', '110000'),
    ]),
    '',
  ].join('\n');
}
