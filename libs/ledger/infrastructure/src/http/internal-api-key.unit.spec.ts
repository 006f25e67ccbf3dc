import { InternalApiKey } from './internal-api-key';

const KEY = 'k'.repeat(40);

describe("the ledger's internal API key", () => {
  describe('when none is configured', () => {
    it.each([undefined, '', `Bearer ${KEY}`])('lets nobody in (Authorization %p)', (header) => {
      expect(new InternalApiKey(null).access(header)).toBe('disabled');
    });
  });

  describe('when one is configured', () => {
    const cases: [string, string | undefined, string][] = [
      ['the right bearer token', `Bearer ${KEY}`, 'allowed'],
      ['no header', undefined, 'unauthenticated'],
      ['an empty header', '', 'unauthenticated'],
      ['another token', `Bearer ${'x'.repeat(40)}`, 'unauthenticated'],
      ['a prefix of the token', `Bearer ${KEY.slice(0, 39)}`, 'unauthenticated'],
      ['the token with more after it', `Bearer ${KEY}k`, 'unauthenticated'],
      ['the token without the scheme', KEY, 'unauthenticated'],
      ['another scheme', `Basic ${KEY}`, 'unauthenticated'],
      ['the token and a space', `Bearer ${KEY} `, 'unauthenticated'],
    ];

    it.each(cases)('answers %s with %s', (_name, header, access) => {
      expect(new InternalApiKey(KEY).access(header)).toBe(access);
    });
  });
});
