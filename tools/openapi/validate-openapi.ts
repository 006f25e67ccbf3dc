// Validates an OpenAPI 3.x document (a URL or a file) against the official schema, with
// @seriousme/openapi-schema-validator. Exits 1 with the errors when it does not validate.
import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';

const FETCH_TIMEOUT_MS = 10_000;

async function load(source: string): Promise<{ paths?: Record<string, unknown> }> {
  if (source.startsWith('http')) {
    return (await (
      await fetch(source, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
    ).json()) as {
      paths?: Record<string, unknown>;
    };
  }
  return JSON.parse(await readFile(source, 'utf8')) as { paths?: Record<string, unknown> };
}

async function main(): Promise<void> {
  const source = process.argv[2];
  if (!source) {
    console.error(
      'usage: node -r @swc-node/register tools/openapi/validate-openapi.ts <url-or-file>',
    );
    process.exit(2);
  }
  const document = await load(source);
  const validator = new Validator();
  const result = await validator.validate(document);
  if (!result.valid) {
    console.error(
      `invalid OpenAPI ${validator.version} document:`,
      JSON.stringify(result.errors, null, 2),
    );
    process.exit(1);
  }
  const paths = Object.keys(document.paths ?? {}).length;
  console.log(`valid OpenAPI ${validator.version} document: ${paths} paths`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
