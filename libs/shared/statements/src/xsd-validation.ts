import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryPages, validateXML } from 'xmllint-wasm';
import { refuse } from './statement-file';

export const CAMT053_NAMESPACES = {
  'camt.053.001.08': 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08',
  'camt.053.001.02': 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02',
} as const;
export type CamtVersion = keyof typeof CAMT053_NAMESPACES;

/** The official schemas, shipped beside this file (see xsd/SOURCE.md for where they come from). */
const XSD_DIRECTORY = join(__dirname, 'xsd');
const schemas = new Map<CamtVersion, string>();

function schemaOf(version: CamtVersion): string {
  let schema = schemas.get(version);
  if (!schema) {
    schema = readFileSync(join(XSD_DIRECTORY, `${version}.xsd`), 'utf8');
    schemas.set(version, schema);
  }
  return schema;
}

/** Errors named in a refusal: the first few, each with its line. */
const ERRORS_SHOWN_MAX = 3;

/**
 * Validates the document against the version's ISO 20022 XSD with libxml2 (xmllint, compiled to
 * WebAssembly: no native code). Throws a `StatementRefusal` naming the first errors' lines.
 */
export async function validateAgainstXsd(xml: string, version: CamtVersion): Promise<void> {
  const result = await validateXML({
    xml: [{ fileName: 'statement.xml', contents: xml }],
    schema: [{ fileName: `${version}.xsd`, contents: schemaOf(version) }],
    // A large statement (100,000 entries) needs more than the default 32 MiB.
    maxMemoryPages: 2 * memoryPages.GiB,
  });
  if (result.valid) return;
  const errors = result.errors.slice(0, ERRORS_SHOWN_MAX);
  const first = errors[0];
  refuse(
    'schema_invalid',
    `not a valid ${version} document: ` +
      errors
        .map((error) => (error.loc ? `line ${error.loc.lineNumber}: ` : '') + error.message.trim())
        .join('; '),
    first?.loc ? `line ${first.loc.lineNumber}` : null,
  );
}
