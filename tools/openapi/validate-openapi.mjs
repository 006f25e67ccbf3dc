// Validates an OpenAPI 3.x document (a URL or a file) against the official schema, with
// @seriousme/openapi-schema-validator. Exits 1 with the errors when it does not validate.
import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';

const source = process.argv[2];
if (!source) {
  console.error('usage: node tools/openapi/validate-openapi.mjs <url-or-file>');
  process.exit(2);
}
const document = source.startsWith('http')
  ? await (await fetch(source, { signal: AbortSignal.timeout(10_000) })).json()
  : JSON.parse(await readFile(source, 'utf8'));
const validator = new Validator();
const result = await validator.validate(document);
if (!result.valid) {
  console.error(
    `invalid OpenAPI ${validator.version} document:`,
    JSON.stringify(result.errors, null, 2),
  );
  process.exit(1);
}
console.log(
  `valid OpenAPI ${validator.version} document: ${Object.keys(document.paths).length} paths`,
);
