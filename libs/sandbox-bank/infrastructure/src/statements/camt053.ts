import { XMLBuilder } from 'fast-xml-parser';
import { currencyExponent } from '@rtp/contracts';
import { Statement, StatementEntry, minorToDecimal } from '@rtp/sandbox-bank/domain';

export const CAMT053_VERSIONS = ['camt.053.001.08', 'camt.053.001.02'] as const;
export type Camt053Version = (typeof CAMT053_VERSIONS)[number];
export const camt053Namespace = (version: Camt053Version) =>
  `urn:iso:std:iso:20022:tech:xsd:${version}`;
export const CAMT053_NAMESPACE = camt053Namespace('camt.053.001.08');

const amount = (amountMinor: bigint, currency: string) => ({
  '@_Ccy': currency,
  '#text': minorToDecimal(
    amountMinor < 0n ? -amountMinor : amountMinor,
    currencyExponent(currency),
  ),
});

function balance(code: 'OPBD' | 'CLBD', amountMinor: bigint, currency: string, date: string) {
  return {
    Tp: { CdOrPrtry: { Cd: code } },
    Amt: amount(amountMinor, currency),
    CdtDbtInd: amountMinor < 0n ? 'DBIT' : 'CRDT',
    Dt: { Dt: date },
  };
}

/**
 * ISO bank transaction codes: credit transfers issued or received, and returns of ours. A
 * rejected transfer's reversal keeps the code of the transfer it reverses, with `RvslInd`.
 */
const TRANSACTION_CODES: Record<StatementEntry['kind'], { Fmly: string; SubFmly: string }> = {
  transfer_booked: { Fmly: 'ICDT', SubFmly: 'ESCT' },
  transfer_reversed: { Fmly: 'ICDT', SubFmly: 'ESCT' },
  transfer_returned: { Fmly: 'ICDT', SubFmly: 'RRTN' },
  credit_booked: { Fmly: 'RCDT', SubFmly: 'ESCT' },
};

/** camt.053.001.08 names a party inside `Pty`; .02 has the party's fields directly. */
function party(name: string, version: Camt053Version) {
  return version === 'camt.053.001.02' ? { Nm: name } : { Pty: { Nm: name } };
}

function transactionDetails(item: StatementEntry, version: Camt053Version) {
  const counterparty =
    item.creditDebit === 'DBIT' || item.kind !== 'credit_booked'
      ? {
          Cdtr: party(item.counterpartyName, version),
          CdtrAcct: { Id: { IBAN: item.counterpartyIban } },
        }
      : {
          Dbtr: party(item.counterpartyName, version),
          DbtrAcct: { Id: { IBAN: item.counterpartyIban } },
        };
  const transactionAmount = amount(item.amountMinor, item.currency);
  return {
    Refs: {
      AcctSvcrRef: item.transactionId,
      EndToEndId: item.endToEndId,
      TxId: item.transactionId,
    },
    ...(version === 'camt.053.001.02'
      ? { AmtDtls: { TxAmt: { Amt: transactionAmount } } }
      : { Amt: transactionAmount }),
    RltdPties: counterparty,
    ...(item.remittanceInformation ? { RmtInf: { Ustrd: item.remittanceInformation } } : {}),
    ...(item.reasonCode ? { RtrInf: { Rsn: { Cd: item.reasonCode } } } : {}),
  };
}

function entry(item: StatementEntry, version: Camt053Version) {
  const codes = TRANSACTION_CODES[item.kind];
  return {
    NtryRef: item.entryReference,
    Amt: amount(item.amountMinor, item.currency),
    CdtDbtInd: item.creditDebit,
    ...(item.kind === 'transfer_reversed' ? { RvslInd: 'true' } : {}),
    Sts: version === 'camt.053.001.02' ? 'BOOK' : { Cd: 'BOOK' },
    BookgDt: { Dt: item.bookingDate },
    ValDt: { Dt: item.valueDate },
    AcctSvcrRef: item.entryReference,
    BkTxCd: { Domn: { Cd: 'PMNT', Fmly: { Cd: codes.Fmly, SubFmlyCd: codes.SubFmly } } },
    NtryDtls: { TxDtls: transactionDetails(item, version) },
  };
}

/** The day's statements (one per currency) as one camt.053 document (.001.08 unless asked). */
export function camt053Xml(
  statements: Statement[],
  messageId: string,
  createdAt: string,
  version: Camt053Version = 'camt.053.001.08',
): string {
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Document: {
      '@_xmlns': camt053Namespace(version),
      BkToCstmrStmt: {
        GrpHdr: { MsgId: messageId, CreDtTm: createdAt },
        Stmt: statements.map((statement) => ({
          Id: statement.id,
          CreDtTm: statement.createdAt,
          FrToDt: {
            FrDtTm: `${statement.date}T00:00:00Z`,
            ToDtTm: `${statement.date}T23:59:59Z`,
          },
          Acct: { Id: { IBAN: statement.accountIban }, Ccy: statement.currency },
          Bal: [
            balance('OPBD', statement.openingMinor, statement.currency, statement.date),
            balance('CLBD', statement.closingMinor, statement.currency, statement.date),
          ],
          TxsSummry: { TtlNtries: { NbOfNtries: String(statement.entries.length) } },
          Ntry: statement.entries.map((item) => entry(item, version)),
        })),
      },
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    format: true,
    suppressEmptyNode: true,
  });
  return builder.build(document) as string;
}
