import { isValidIBAN } from 'ibantools';
import { virtualIbanOf } from './beneficiary';

describe('a virtual IBAN', () => {
  it('is a valid German IBAN of the bank code, derived from the account id', () => {
    const iban = virtualIbanOf('0b8a3c1e-7d6f-4e2a-9c5b-1a2b3c4d5e6f', '10010010');
    expect(iban).toMatch(/^DE[0-9]{2}10010010[0-9]{10}$/);
    expect(isValidIBAN(iban)).toBe(true);
    expect(virtualIbanOf('0b8a3c1e-7d6f-4e2a-9c5b-1a2b3c4d5e6f', '10010010')).toBe(iban);
  });

  it('differs between accounts (10,000 ids, no collision)', () => {
    const ibans = new Set(
      Array.from({ length: 10_000 }, (_, index) => virtualIbanOf(`account-${index}`, '10010010')),
    );
    expect(ibans.size).toBe(10_000);
  });

  it('refuses a bank code that is not 8 digits', () => {
    expect(() => virtualIbanOf('a', '1001001')).toThrow(/8 digits/);
  });
});
