import { HttpProblemError } from './problems/http-problem';
import { JSON_DEPTH_MAX, NonIntegerNumber, parseJsonBody } from './json-body';

const parse = (text: string) => parseJsonBody(Buffer.from(text, 'utf8'));

function problemOf(body: Buffer): { code: string; detail: string } {
  try {
    parseJsonBody(body);
  } catch (error) {
    if (error instanceof HttpProblemError) return error.problem;
    throw error;
  }
  throw new Error('parsed without a problem');
}

describe('JSON bodies', () => {
  it.each([
    ['{"amount":1e3}', new NonIntegerNumber('1e3')],
    ['{"amount":10.50}', new NonIntegerNumber('10.50')],
    ['{"amount":1E+2}', new NonIntegerNumber('1E+2')],
    ['{"amount":1050}', 1050],
    ['{"amount":"1050"}', '1050'],
    ['{"amount":9007199254740993}', 9007199254740992],
  ])('%s keeps amount as %p', (body, amount) => {
    expect(parse(body)).toStrictEqual({ amount });
  });

  it('parses nested values, any well-formed text and keys that look like methods', () => {
    const body = '{"a":[true,false,null,{"b":"é 😀 \\ud83d\\ude00"}],"toString":"x","valueOf":"y"}';
    expect(parse(body)).toEqual({
      a: [true, false, null, { b: 'é 😀 😀' }],
      toString: 'x',
      valueOf: 'y',
    });
  });

  it('treats an empty or blank body as no body', () => {
    expect(parse('')).toBeUndefined();
    expect(parse(' \n')).toBeUndefined();
  });

  describe('when the body is refused', () => {
    it.each([
      ['a NUL in a value', '{"reference":"a\\u0000b"}', 'invalid_text', 'reference:'],
      ['a raw control character', '{"reference":"a\u0001b"}', 'invalid_text', 'reference:'],
      ['DEL', '{"name":"a\\u007f"}', 'invalid_text', 'name:'],
      ['a tab', '{"name":"a\\tb"}', 'invalid_text', 'name:'],
      ['an unpaired high surrogate', '{"reference":"\\ud800"}', 'invalid_text', 'reference:'],
      ['an unpaired low surrogate', '{"reference":"x\\udc00"}', 'invalid_text', 'reference:'],
      ['a reversed pair', '{"reference":"\\ude00\\ud83d"}', 'invalid_text', 'reference:'],
      ['a nested NUL', '{"metadata":{"note":"\\u0000"}}', 'invalid_text', 'metadata.note:'],
      ['a NUL in a key', '{"metadata":{"a\\u0000":"x"}}', 'invalid_text', 'metadata: a key'],
      ['a surrogate in a key', '{"metadata":{"\\udfff":"x"}}', 'invalid_text', 'metadata: a key'],
      ['a duplicate key', '{"amount":"1","amount":"250"}', 'duplicate_key', 'amount:'],
      ['an escaped duplicate', '{"amount":"1","\\u0061mount":"2"}', 'duplicate_key', 'amount:'],
      ['a nested duplicate', '{"metadata":{"a":"1","a":"1"}}', 'duplicate_key', 'metadata.a:'],
      ['a __proto__ key', '{"__proto__":{"admin":true}}', 'malformed_json', '__proto__'],
      ['truncated JSON', '{"amount":', 'malformed_json', 'not valid JSON'],
      ['a trailing comma', '{"amount":"1",}', 'malformed_json', 'not valid JSON'],
      ['a comment', '{"amount":"1"/* x */}', 'malformed_json', 'not valid JSON'],
      ['two documents', '{} {}', 'malformed_json', 'not valid JSON'],
      ['a hexadecimal number', '{"limit":0x10}', 'malformed_json', 'not valid JSON'],
      [
        'deep nesting',
        '['.repeat(JSON_DEPTH_MAX + 1) + ']'.repeat(JSON_DEPTH_MAX + 1),
        'malformed_json',
        'nested deeper',
      ],
      ['stack-deep nesting', '['.repeat(60_000), 'malformed_json', 'nested deeper'],
    ])('refuses %s', (_name, body, code, detail) => {
      const problem = problemOf(Buffer.from(body, 'utf8'));
      expect(problem.code).toBe(code);
      expect(problem.detail).toContain(detail);
    });

    it.each([
      ['a lone continuation byte', [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d]],
      ['a truncated sequence', [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]],
      ['an encoded surrogate (CESU-8)', [0x22, 0xed, 0xa0, 0x80, 0x22]],
      ['an overlong encoding', [0x22, 0xc0, 0xaf, 0x22]],
    ])('refuses invalid UTF-8: %s', (_name, bytes) => {
      expect(problemOf(Buffer.from(bytes))).toMatchObject({
        code: 'malformed_json',
        detail: 'body: the body is not valid UTF-8',
      });
    });

    it('keeps brackets inside strings out of the depth count', () => {
      expect(parse(JSON.stringify({ name: '['.repeat(100) }))).toEqual({ name: '['.repeat(100) });
    });
  });
});
