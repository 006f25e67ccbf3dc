import { XMLBuilder } from 'fast-xml-parser';
import { currencyExponent } from '@rtp/contracts';
import { Statement, StatementEntry, minorToDecimal } from '@rtp/sandbox-bank/domain';

export const CAMT053_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08';

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

/** ISO bank transaction codes: credit transfers issued or received, and returns of ours. */
const TRANSACTION_CODES: Record<StatementEntry['kind'], { Fmly: string; SubFmly: string }> = {
  transfer_booked: { Fmly: 'ICDT', SubFmly: 'ESCT' },
  transfer_returned: { Fmly: 'ICDT', SubFmly: 'RRTN' },
  credit_booked: { Fmly: 'RCDT', SubFmly: 'ESCT' },
};

function entry(item: StatementEntry) {
  const codes = TRANSACTION_CODES[item.kind];
  const counterparty =
    item.creditDebit === 'DBIT' || item.kind === 'transfer_returned'
      ? {
          Cdtr: { Pty: { Nm: item.counterpartyName } },
          CdtrAcct: { Id: { IBAN: item.counterpartyIban } },
        }
      : {
          Dbtr: { Pty: { Nm: item.counterpartyName } },
          DbtrAcct: { Id: { IBAN: item.counterpartyIban } },
        };
  return {
    NtryRef: item.entryReference,
    Amt: amount(item.amountMinor, item.currency),
    CdtDbtInd: item.creditDebit,
    ...(item.kind === 'transfer_returned' ? { RvslInd: 'true' } : {}),
    Sts: { Cd: 'BOOK' },
    BookgDt: { Dt: item.bookingDate },
    ValDt: { Dt: item.valueDate },
    AcctSvcrRef: item.entryReference,
    BkTxCd: { Domn: { Cd: 'PMNT', Fmly: { Cd: codes.Fmly, SubFmlyCd: codes.SubFmly } } },
    NtryDtls: {
      TxDtls: {
        Refs: { AcctSvcrRef: item.transactionId, EndToEndId: item.endToEndId },
        Amt: amount(item.amountMinor, item.currency),
        RltdPties: counterparty,
        ...(item.remittanceInformation ? { RmtInf: { Ustrd: item.remittanceInformation } } : {}),
        ...(item.reasonCode ? { RtrInf: { Rsn: { Cd: item.reasonCode } } } : {}),
      },
    },
  };
}

/** The day's statements (one per currency) as one camt.053.001.08 document. */
export function camt053Xml(statements: Statement[], messageId: string, createdAt: string): string {
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Document: {
      '@_xmlns': CAMT053_NAMESPACE,
      BkToCstmrStmt: {
        GrpHdr: { MsgId: messageId, CreDtTm: createdAt },
        Stmt: statements.map((statement) => ({
          Id: statement.id,
          CreDtTm: statement.createdAt,
          Acct: { Id: { IBAN: statement.accountIban }, Ccy: statement.currency },
          Bal: [
            balance('OPBD', statement.openingMinor, statement.currency, statement.date),
            balance('CLBD', statement.closingMinor, statement.currency, statement.date),
          ],
          TxsSummry: { TtlNtries: { NbOfNtries: String(statement.entries.length) } },
          Ntry: statement.entries.map(entry),
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
