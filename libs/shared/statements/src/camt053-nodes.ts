import { StatementEntry, statementEntrySchema } from '@rtp/contracts';
import { decimalToMinor, knownCurrency } from './amounts';
import { refuse } from './statement-file';

/** An element as fast-xml-parser gives it: text, attributes (`@_`), children, arrays. */
export type XmlNode = { [name: string]: unknown };

/** The element (or text, or attribute) at a `/`-separated path, the first of repeated ones. */
export function child(node: unknown, path: string): unknown {
  let current: unknown = node;
  for (const name of path.split('/')) {
    if (Array.isArray(current)) current = current[0];
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as XmlNode)[name];
  }
  return Array.isArray(current) ? current[0] : current;
}

export function optionalText(node: unknown, path: string): string | null {
  const value = child(node, path);
  if (typeof value === 'string') return value === '' ? null : value;
  if (value && typeof value === 'object' && typeof (value as XmlNode)['#text'] === 'string') {
    return (value as XmlNode)['#text'] as string;
  }
  return null;
}

export function requiredText(node: unknown, path: string, location: string): string {
  const text = optionalText(node, path);
  if (text === null) refuse('missing_field', `${path} is missing`, `${location}/${path}`);
  return text;
}

/** The entry's own fields (not its transactions), strictly: booked entries only. */
export function entryFields(node: XmlNode, location: string) {
  const amountNode = child(node, 'Amt');
  if (amountNode === undefined) refuse('missing_field', 'an entry without Amt', `${location}/Amt`);
  const currency = knownCurrency(requiredText(node, 'Amt/@_Ccy', location), `${location}/Amt/@Ccy`);
  const amountMinor = decimalToMinor(
    requiredText(node, 'Amt', location),
    currency,
    `${location}/Amt`,
  ).toString();
  const creditDebit = requiredText(node, 'CdtDbtInd', location);
  if (creditDebit !== 'CRDT' && creditDebit !== 'DBIT') {
    refuse('invalid_value', `CdtDbtInd ${creditDebit}`, `${location}/CdtDbtInd`);
  }
  // camt.053.001.08 nests the status in `Sts/Cd`; .02 has the code as `Sts` itself.
  const status = optionalText(node, 'Sts/Cd') ?? optionalText(node, 'Sts');
  if (status !== 'BOOK') {
    refuse('invalid_value', `an entry whose status is ${status}, not BOOK`, `${location}/Sts`);
  }
  const bookingDate = (
    optionalText(node, 'BookgDt/Dt') ?? requiredText(node, 'BookgDt/DtTm', location)
  ).slice(0, 10);
  const valueDate = (
    optionalText(node, 'ValDt/Dt') ??
    optionalText(node, 'ValDt/DtTm') ??
    bookingDate
  ).slice(0, 10);
  const reversal = optionalText(node, 'RvslInd');
  const entryReference = optionalText(node, 'AcctSvcrRef') ?? optionalText(node, 'NtryRef');
  if (entryReference === null) {
    refuse('missing_field', 'an entry without AcctSvcrRef (or NtryRef)', `${location}/AcctSvcrRef`);
  }
  return {
    entryReference,
    creditDebit: creditDebit as 'CRDT' | 'DBIT',
    amountMinor,
    currency,
    bookingDate,
    valueDate,
    reversal: reversal === 'true' || reversal === '1',
    bankTransactionCode: optionalText(node, 'BkTxCd/Domn/Fmly/SubFmlyCd'),
  };
}

/** The entry against the contract's strict schema: what is published is what was checked. */
export function checkedEntry(entry: StatementEntry, location: string): StatementEntry {
  const parsed = statementEntrySchema.safeParse(entry);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue.path.join('.');
  refuse('invalid_value', `${path}: ${issue.message}`, `${location} (${path})`);
}
