import { XMLParser } from 'fast-xml-parser';
import { StatementEntry, StatementTransaction } from '@rtp/contracts';
import { decimalToMinor, knownCurrency, signedMinor } from './amounts';
import {
  checkedEntry,
  entryFields,
  XmlNode,
  child,
  optionalText,
  requiredText,
} from './camt053-nodes';
import { LocatedStatement } from './statement-checks';
import { refuse } from './statement-file';

const REPEATED = new Set(['Stmt', 'Ntry', 'Bal', 'NtryDtls', 'TxDtls', 'Ustrd']);

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Namespace prefixes are dropped from names: the namespace itself was checked before, and the
  // XSD validation proved every element is in it.
  transformTagName: (name) => name.replace(/^[^:]+:/, ''),
  isArray: (name) => REPEATED.has(name),
});

function balance(statement: XmlNode, codes: string[], location: string): bigint | null {
  const balances = (statement.Bal ?? []) as XmlNode[];
  const index = balances.findIndex((node) =>
    codes.includes(optionalText(node, 'Tp/CdOrPrtry/Cd') ?? ''),
  );
  if (index < 0) return null;
  const node = balances[index];
  const at = `${location}/Bal[${index + 1}]`;
  const amount = child(node, 'Amt');
  const currency = knownCurrency(requiredText(amount, '@_Ccy', `${at}/Amt`), `${at}/Amt`);
  const minor = decimalToMinor(requiredText(node, 'Amt', at), currency, `${at}/Amt`);
  const sign = requiredText(node, 'CdtDbtInd', at) as 'CRDT' | 'DBIT';
  return signedMinor(sign, minor);
}

function statementDate(statement: XmlNode, location: string): string {
  const from = optionalText(statement, 'FrToDt/FrDtTm');
  const closingDate = ((statement.Bal ?? []) as XmlNode[])
    .filter((node) => optionalText(node, 'Tp/CdOrPrtry/Cd') === 'CLBD')
    .map((node) => optionalText(node, 'Dt/Dt') ?? optionalText(node, 'Dt/DtTm'))[0];
  const date = (from ?? closingDate ?? requiredText(statement, 'CreDtTm', location)).slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) refuse('invalid_value', `no date in ${date}`, location);
  return date;
}

function statementOf(statement: XmlNode, index: number): LocatedStatement {
  const location = `Stmt[${index + 1}]`;
  const accountIban = requiredText(statement, 'Acct/Id/IBAN', location);
  const openingMinor = balance(statement, ['OPBD', 'PRCD'], location);
  const closingMinor = balance(statement, ['CLBD'], location);
  if (openingMinor === null)
    refuse('missing_field', 'no opening balance (OPBD)', `${location}/Bal`);
  if (closingMinor === null)
    refuse('missing_field', 'no closing balance (CLBD)', `${location}/Bal`);
  const currency = knownCurrency(
    optionalText(statement, 'Acct/Ccy') ??
      requiredText(child(statement, 'Bal') as XmlNode, 'Amt/@_Ccy', `${location}/Bal[1]`),
    `${location}/Acct/Ccy`,
  );
  const nodes = (statement.Ntry ?? []) as XmlNode[];
  const declared = optionalText(statement, 'TxsSummry/TtlNtries/NbOfNtries');
  if (declared !== null && Number(declared) !== nodes.length) {
    refuse(
      'count_mismatch',
      `TxsSummry says ${declared} entries, the statement has ${nodes.length}`,
      `${location}/TxsSummry/TtlNtries/NbOfNtries`,
    );
  }
  const entryLocations = nodes.map((_node, entryIndex) => `${location}/Ntry[${entryIndex + 1}]`);
  const entries = nodes.map((node, entryIndex) => entryOf(node, entryLocations[entryIndex]));
  return {
    bankStatementId: requiredText(statement, 'Id', location),
    accountIban,
    currency,
    date: statementDate(statement, location),
    openingMinor,
    closingMinor,
    entries,
    location,
    entryLocations,
  };
}

function entryOf(node: XmlNode, location: string): StatementEntry {
  const fields = entryFields(node, location);
  const details = ((node.NtryDtls ?? []) as XmlNode[]).flatMap(
    (detail) => (detail.TxDtls ?? []) as XmlNode[],
  );
  const transactions: StatementTransaction[] =
    details.length === 0
      ? [emptyTransaction(fields.amountMinor)]
      : details.map((detail, index) =>
          transactionOf(
            detail,
            fields,
            details.length === 1,
            `${location}/NtryDtls/TxDtls[${index + 1}]`,
          ),
        );
  return checkedEntry({ ...fields, transactions }, location);
}

const emptyTransaction = (amountMinor: string): StatementTransaction => ({
  endToEndId: null,
  transactionId: null,
  amountMinor,
  counterpartyIban: null,
  counterpartyName: null,
  remittanceInformation: null,
  reasonCode: null,
});

function transactionAmount(
  detail: XmlNode,
  entry: { currency: string; amountMinor: string },
  single: boolean,
  location: string,
): string {
  const path = child(detail, 'Amt') ? 'Amt' : 'AmtDtls/TxAmt/Amt';
  const text = optionalText(detail, path);
  if (text === null) {
    if (single) return entry.amountMinor;
    refuse('missing_field', 'a transaction of a batch entry without its amount', location);
  }
  const currency = optionalText(detail, `${path}/@_Ccy`);
  if (currency !== entry.currency) {
    refuse(
      'currency_mismatch',
      `a transaction in ${currency}, its entry in ${entry.currency}`,
      location,
    );
  }
  return decimalToMinor(text, entry.currency, `${location}/${path}`).toString();
}

function transactionOf(
  detail: XmlNode,
  entry: { currency: string; amountMinor: string; creditDebit: 'CRDT' | 'DBIT' },
  single: boolean,
  location: string,
): StatementTransaction {
  const endToEndId = optionalText(detail, 'Refs/EndToEndId');
  const [mine, other] = entry.creditDebit === 'DBIT' ? ['Cdtr', 'Dbtr'] : ['Dbtr', 'Cdtr'];
  const side = child(detail, `RltdPties/${mine}`) ? mine : other;
  const party = child(detail, `RltdPties/${side}`) as XmlNode | undefined;
  return {
    endToEndId: endToEndId === 'NOTPROVIDED' ? null : endToEndId,
    transactionId: optionalText(detail, 'Refs/TxId') ?? optionalText(detail, 'Refs/AcctSvcrRef'),
    amountMinor: transactionAmount(detail, entry, single, location),
    counterpartyIban: optionalText(detail, `RltdPties/${side}Acct/Id/IBAN`),
    counterpartyName: party ? (optionalText(party, 'Pty/Nm') ?? optionalText(party, 'Nm')) : null,
    remittanceInformation: optionalText(detail, 'RmtInf/Ustrd'),
    reasonCode: optionalText(detail, 'RtrInf/Rsn/Cd'),
  };
}

/** The statements of a camt.053 document already validated against its XSD. */
export function parseCamt053(xml: string): LocatedStatement[] {
  const document = child(parser.parse(xml) as XmlNode, 'Document') as XmlNode | undefined;
  const report = document ? (child(document, 'BkToCstmrStmt') as XmlNode | undefined) : undefined;
  if (!report) refuse('missing_field', 'no Document/BkToCstmrStmt', 'Document');
  return ((report.Stmt ?? []) as XmlNode[]).map(statementOf);
}
