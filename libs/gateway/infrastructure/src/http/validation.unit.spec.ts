import { HttpProblemError } from './problems/http-problem';
import { parseJsonBody } from './json-body';
import { entriesQuerySchema, openAccountSchema, parseRequest, paymentSchema } from './validation';

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof HttpProblemError) return error.problem.code;
    throw error;
  }
}

const payment = (fields: string) =>
  parseJsonBody(
    Buffer.from(`{"sourceAccountId":"a","destinationAccountId":"b","currency":"EUR",${fields}}`),
  );

describe('request validation', () => {
  describe('page sizes', () => {
    it.each([
      [undefined, 20],
      ['1', 1],
      ['20', 20],
      ['100', 100],
    ])('takes limit=%p as %p', (limit, expected) => {
      expect(parseRequest(entriesQuerySchema, { limit }).limit).toBe(expected);
    });

    it.each([
      '1e1',
      '0x10',
      ' 5',
      '5 ',
      '+5',
      '05',
      '0',
      '101',
      '1.0',
      '',
      '-1',
      'NaN',
      'Infinity',
      ['1', '2'],
    ])('refuses limit=%p', (limit) => {
      expect(codeOf(() => parseRequest(entriesQuerySchema, { limit }))).toBe('validation_failed');
    });
  });

  describe('currencies', () => {
    it.each(['EUR', 'JPY', 'XAF', 'XOF', 'XCD', 'XPF'])('opens an account in %s', (currency) => {
      expect(codeOf(() => parseRequest(openAccountSchema, { currency }))).toBeNull();
    });

    it.each([
      'XXX',
      'XTS',
      'XAU',
      'XAG',
      'XPD',
      'XPT',
      'XBA',
      'XBB',
      'XBC',
      'XBD',
      'XDR',
      'XSU',
      'XUA',
      'eur',
      'ABC',
    ])('refuses %s', (currency) => {
      expect(codeOf(() => parseRequest(openAccountSchema, { currency }))).toBe('invalid_currency');
    });
  });

  describe('JSON numbers', () => {
    it.each([
      ['"amount":250', null],
      ['"amount":9007199254740991', null],
      ['"amount":"250"', null],
      ['"amount":1.5', 'invalid_amount'],
      ['"amount":1e3', 'invalid_amount'],
      ['"amount":250.0', 'invalid_amount'],
      ['"amount":9007199254740992', 'invalid_amount'],
      ['"amount":"1","reference":1.5', 'validation_failed'],
      ['"amount":"1","reference":1e2', 'validation_failed'],
      ['"amount":"1","reference":15', 'validation_failed'],
      ['"amount":"1","metadata":{"a":1.5}', 'validation_failed'],
    ])('%s answers %p', (fields, code) => {
      expect(codeOf(() => parseRequest(paymentSchema, payment(fields)))).toBe(code);
    });
  });
});
