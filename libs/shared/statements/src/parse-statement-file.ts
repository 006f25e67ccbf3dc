import { XMLValidator } from 'fast-xml-parser';
import { isValidIBAN } from 'ibantools';
import { parseCamt053 } from './camt053-parser';
import { parseStatementCsv } from './csv-parser';
import { LocatedStatement, checkStatements } from './statement-checks';
import { StatementParseResult, StatementRefusal, refuse } from './statement-file';
import { CAMT053_NAMESPACES, CamtVersion, validateAgainstXsd } from './xsd-validation';

/** The largest statement file accepted (a day of 100,000 entries is about 90 MiB of camt.053). */
export const STATEMENT_FILE_BYTES_MAX = 128 * 1024 * 1024;

const ROOT = /^\uFEFF?\s*(?:<\?[^?]*\?>\s*|<!--(?:[^-]|-[^-])*-->\s*)*<([A-Za-z_][\w.-]*)([^>]*)>/;

/** Which camt.053 version the root element's namespace names (the prefix it uses, or default). */
function camtVersion(xml: string): CamtVersion {
  const root = ROOT.exec(xml.slice(0, 64 * 1024));
  if (!root) refuse('not_well_formed', 'no root element', 'line 1');
  const [prefix, name] = root[1].includes(':') ? root[1].split(':') : ['', root[1]];
  if (name !== 'Document') {
    refuse('wrong_namespace', `the root element is ${root[1]}, not a camt.053 Document`, root[1]);
  }
  const attribute = prefix ? `xmlns:${prefix}` : 'xmlns';
  const declared = new RegExp(`\\s${attribute.replace('.', '\\.')}\\s*=\\s*["']([^"']*)["']`);
  const namespace = declared.exec(root[2])?.[1] ?? '(none)';
  const version = (Object.keys(CAMT053_NAMESPACES) as CamtVersion[]).find(
    (key) => CAMT053_NAMESPACES[key] === namespace,
  );
  if (!version) {
    refuse(
      'wrong_namespace',
      `the namespace ${namespace} is not camt.053.001.08 or camt.053.001.02`,
      'Document',
    );
  }
  return version;
}

async function xmlStatements(
  xml: string,
): Promise<{ format: CamtVersion; statements: LocatedStatement[] }> {
  if (/<!DOCTYPE/i.test(xml)) {
    refuse('doctype_forbidden', 'a statement may not declare a DOCTYPE (entities)', null);
  }
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    refuse('not_well_formed', `${msg} (column ${col})`, `line ${line}`);
  }
  const version = camtVersion(xml);
  await validateAgainstXsd(xml, version);
  return { format: version, statements: parseCamt053(xml) };
}

function checkHeaders(statements: LocatedStatement[]) {
  for (const statement of statements) {
    if (!isValidIBAN(statement.accountIban)) {
      refuse('invalid_value', `${statement.accountIban} is not a valid IBAN`, statement.location);
    }
    const day = new Date(`${statement.date}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== statement.date) {
      refuse(
        'invalid_value',
        `the statement date ${statement.date} is not a date`,
        statement.location,
      );
    }
  }
}

/**
 * A statement file, whole or not at all: camt.053.001.08 or .02 XML (well-formed, no DOCTYPE, the
 * version's ISO 20022 XSD, then the fields used strictly) or the sandbox bank's CSV, then the
 * checks across entries (unique references, currencies, balances). A refusal names the line or
 * the element.
 */
export async function parseStatementFile(
  content: string,
  kind: 'xml' | 'csv',
): Promise<StatementParseResult> {
  try {
    if (Buffer.byteLength(content, 'utf8') > STATEMENT_FILE_BYTES_MAX) {
      refuse('too_large', `larger than ${STATEMENT_FILE_BYTES_MAX} bytes`, null);
    }
    if (content.trim() === '') refuse('empty', 'the file is empty', null);
    const { format, statements } =
      kind === 'xml'
        ? await xmlStatements(content)
        : { format: 'csv' as const, statements: parseStatementCsv(content) };
    checkHeaders(statements);
    return { ok: true, file: { format, statements: checkStatements(statements) } };
  } catch (error) {
    if (error instanceof StatementRefusal) return { ok: false, problem: error.problem };
    throw error;
  }
}
