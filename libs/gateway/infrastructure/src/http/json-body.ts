import { parse } from '@humanwhocodes/momoa';
import type { ValueNode } from '@humanwhocodes/momoa';
import { HttpProblemError } from './problems/http-problem';

/** Bodies nest no deeper than this (the request schemas need two levels); deeper is refused. */
export const JSON_DEPTH_MAX = 16;

/**
 * A JSON number written with a fraction or an exponent (`1e3`, `10.50`), kept as its source text.
 * It is neither a number (it would silently become 1000 or 10.5) nor a string (so that
 * `"reference": 1.5` is refused like any other wrong type); amount validation refuses it by name.
 */
export class NonIntegerNumber {
  constructor(readonly source: string) {}
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const INTEGER_LITERAL = /^-?(0|[1-9][0-9]*)$/;
// No text field of this API has a use for C0 controls or DEL, and PostgreSQL refuses NUL in text
// and jsonb; an unpaired surrogate has no UTF-8 encoding at all.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function refuse(
  code: 'malformed_json' | 'duplicate_key' | 'invalid_text',
  path: string,
  detail: string,
): never {
  const title = {
    malformed_json: 'Malformed JSON body',
    duplicate_key: 'Duplicate key in JSON body',
    invalid_text: 'Text with control characters or unpaired surrogates',
  }[code];
  throw new HttpProblemError({
    status: 400,
    code,
    title,
    detail: `${path || 'body'}: ${detail}`,
    extra: { errors: [{ path, message: detail }] },
  });
}

const child = (path: string, key: string | number) =>
  path === '' ? String(key) : `${path}.${key}`;

function checkText(text: string, path: string, what: string): void {
  if (CONTROL_CHARACTER.test(text)) {
    refuse('invalid_text', path, `${what} contains a control character`);
  }
  if (UNPAIRED_SURROGATE.test(text)) {
    refuse('invalid_text', path, `${what} contains an unpaired surrogate`);
  }
}

/** Counts nesting outside strings before the (recursive) parser could overflow the stack on it. */
function checkDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '{' || char === '[') {
      depth += 1;
      if (depth > JSON_DEPTH_MAX) {
        refuse('malformed_json', '', `nested deeper than ${JSON_DEPTH_MAX} levels`);
      }
    } else if (char === '}' || char === ']') {
      depth -= 1;
    }
  }
}

function valueOf(node: ValueNode, text: string, path: string): unknown {
  switch (node.type) {
    case 'Object': {
      const object: Record<string, unknown> = {};
      for (const member of node.members) {
        const key = member.name.type === 'String' ? member.name.value : member.name.name;
        checkText(key, path, 'a key');
        if (key === '__proto__') {
          refuse('malformed_json', path, '"__proto__" is not allowed as a key');
        }
        if (Object.hasOwn(object, key)) {
          refuse('duplicate_key', child(path, key), 'the key appears twice');
        }
        object[key] = valueOf(member.value, text, child(path, key));
      }
      return object;
    }
    case 'Array':
      return node.elements.map((element, index) =>
        valueOf(element.value, text, child(path, index)),
      );
    case 'String':
      checkText(node.value, path, 'the text');
      return node.value;
    case 'Number': {
      const source = text.slice(node.loc.start.offset, node.loc.end.offset);
      return INTEGER_LITERAL.test(source) ? node.value : new NonIntegerNumber(source);
    }
    case 'Boolean':
      return node.value;
    case 'Null':
      return null;
    default:
      return refuse('malformed_json', path, `${node.type} is not JSON`);
  }
}

/**
 * Parses a JSON body strictly: the bytes must be UTF-8 (not silently replaced), keys unique (the
 * last one would otherwise win unseen), no `__proto__` key, text free of control characters and
 * unpaired surrogates, and no number changes meaning (see NonIntegerNumber; an integer beyond
 * 2^53-1 stays an unsafe number, which amount validation refuses). An empty body is no body.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    return refuse('malformed_json', '', 'the body is not valid UTF-8');
  }
  if (text.trim() === '') return undefined;
  checkDepth(text);
  let document: ReturnType<typeof parse>;
  try {
    document = parse(text, { mode: 'json' });
  } catch (error) {
    return refuse('malformed_json', '', `not valid JSON (${(error as Error).message})`);
  }
  return valueOf(document.body, text, '');
}
