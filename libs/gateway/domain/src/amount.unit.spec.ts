import { parseAmountMinor } from './amount';

describe('parseAmountMinor', () => {
  it.each([
    ['1050', '1050'],
    [1050, '1050'],
    ['9223372036854775807', '9223372036854775807'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('accepts %p as %p minor units', (input, expected) => {
    expect(parseAmountMinor(input)).toEqual({ ok: true, amountMinor: expected });
  });

  it.each([
    ['zero', '0'],
    ['zero as a number', 0],
    ['negative', '-5'],
    ['negative number', -5],
    ['decimal', '10.50'],
    ['fractional number', 10.5],
    ['exponent', '1e3'],
    ['20 digits', '12345678901234567890'],
    ['above int64', '9223372036854775808'],
    ['unsafe number', 2 ** 53],
    ['leading zero', '0100'],
    ['empty', ''],
    ['spaces', ' 10'],
    ['null', null],
    ['boolean', true],
    ['missing', undefined],
  ])('refuses %s', (_name, input) => {
    expect(parseAmountMinor(input).ok).toBe(false);
  });
});
