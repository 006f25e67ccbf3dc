/**
 * An example value for a JSON Schema (as z.toJSONSchema writes them: objects, strings with a
 * pattern or format, enums, nullable unions), for the AsyncAPI document's ledger event examples.
 * The caller checks each example against its zod schema, so a sample that stops fitting its
 * contract fails the generation instead of documenting something false.
 */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minimum?: number;
  exclusiveMinimum?: number;
};

const EXAMPLE_TIME = '2026-12-01T12:00:00.000Z';
/** Values tried, in order, against a string's pattern. */
const PATTERNED = [
  '1250',
  'EUR',
  'DE89370400440532013000',
  'COBADEFFXXX',
  'bank_rejected_ac04',
  '2026-12-01',
  'c'.repeat(64),
];

function sampleString(schema: JsonSchema, name: string): string {
  if (schema.format === 'date-time') return EXAMPLE_TIME;
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const fitting = PATTERNED.find((candidate) => pattern.test(candidate));
    if (fitting === undefined) throw new Error(`no example fits ${name}: /${schema.pattern}/`);
    return fitting;
  }
  if (name === 'currency') return 'EUR';
  if (name === 'iban') return 'DE89370400440532013000';
  if (/accountId$/i.test(name)) return name.startsWith('destination') ? 'acc-payee' : 'acc-payer';
  if (/Id$/.test(name)) return `${name.slice(0, -2)}-7f3a`;
  return `example ${name}`;
}

/** The first choice of a union that is not null. */
function firstChoice(choices: JsonSchema[]): JsonSchema {
  return choices.find((choice) => choice.type !== 'null') ?? choices[0];
}

export function sampleOf(schema: JsonSchema, name = 'value'): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return sampleOf(firstChoice(union), name);
  const type = Array.isArray(schema.type)
    ? (schema.type.find((t) => t !== 'null') ?? 'null')
    : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sampleOf(value, key)]),
      );
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        sampleOf(schema.items ?? {}, name),
      );
    case 'string':
      return sampleString(schema, name);
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1, (schema.exclusiveMinimum ?? 0) + 1);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}
