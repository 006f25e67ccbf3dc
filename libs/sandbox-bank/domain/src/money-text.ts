/** Integer minor units as the decimal text ISO 20022 carries (`12345`, exponent 2 -> `123.45`). */
export function minorToDecimal(amountMinor: bigint, exponent: number): string {
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 4) {
    throw new Error(`unsupported currency exponent ${exponent}`);
  }
  const negative = amountMinor < 0n;
  const digits = (negative ? -amountMinor : amountMinor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/** Checked addition of minor units: a sum outside a signed 64-bit integer is a bug. */
export function addMinor(left: bigint, right: bigint): bigint {
  const sum = left + right;
  if (sum > 9_223_372_036_854_775_807n || sum < -9_223_372_036_854_775_808n) {
    throw new Error('AmountMustFitInt64: the sum overflows');
  }
  return sum;
}
