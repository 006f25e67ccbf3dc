import { maskIban, maskName } from './masking';

describe('masking', () => {
  it.each([
    ['DE89370400440532013000', 'DE89**************3000'],
    ['DE89 3704 0044 0532 0130 00', 'DE89**************3000'],
    ['GB82WEST12345698765432', 'GB82**************5432'],
    ['SHORT', '*****'],
  ])('masks %s as %s', (iban, masked) => {
    expect(maskIban(iban)).toBe(masked);
    expect(maskIban(iban)).not.toContain(iban.replace(/\s/g, '').slice(4, -4) || 'none');
  });

  it('keeps only the initial of a name', () => {
    expect(maskName('Erika Mustermann')).toBe('E***************');
    expect(maskName('Al')).toBe('A**');
    expect(maskName('  ')).toBe('');
  });
});
