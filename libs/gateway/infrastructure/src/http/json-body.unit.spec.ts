import { parseJsonBody } from './json-body';

describe('JSON bodies', () => {
  it.each([
    ['{"amount":1e3}', '1e3'], ['{"amount":10.50}', '10.50'], ['{"amount":1E+2}', '1E+2'], ['{"amount":1050}', 1050],
    ['{"amount":"1050"}', '1050'],
  ])('%s keeps amount as %p', (body, amount) => {
    expect(parseJsonBody(body)).toEqual({ amount });
  });

  it('refuses __proto__ keys and malformed JSON', () => {
    expect(() => parseJsonBody('{"__proto__":{"admin":true}}')).toThrow(SyntaxError);
    expect(() => parseJsonBody('{"amount":')).toThrow(SyntaxError);
  });

  it('treats an empty body as no body', () => {
    expect(parseJsonBody('')).toBeUndefined();
  });
});
