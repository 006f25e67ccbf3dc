import { AMOUNT_MINOR_MAX, currencyExponent, isKnownCurrency } from '@rtp/contracts';
import { refuse } from './statement-file';

const INT64_MIN = -AMOUNT_MINOR_MAX - 1n;

export function knownCurrency(code: string, location: string): string {
  if (!isKnownCurrency(code)) refuse('invalid_value', `unknown currency "${code}"`, location);
  return code;
}

/**
 * A decimal amount as ISO 20022 carries it (`123.45`) in minor units of the currency, exactly:
 * more decimals than the currency has, a sign, an exponent or a zero are refused, not rounded.
 */
export function decimalToMinor(text: string, currency: string, location: string): bigint {
  const exponent = currencyExponent(currency);
  const match = /^(\d{1,18})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) refuse('invalid_value', `"${text}" is not a positive decimal amount`, location);
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    refuse('invalid_value', `${text} has more decimals than ${currency}'s ${exponent}`, location);
  }
  const minor = BigInt(match[1] + fraction.padEnd(exponent, '0'));
  if (minor <= 0n) refuse('invalid_value', `the amount ${text} is not positive`, location);
  if (minor > AMOUNT_MINOR_MAX) refuse('invalid_value', `${text} is too large`, location);
  return minor;
}

/** Checked addition: a running total outside a signed 64-bit integer is refused. */
export function addChecked(left: bigint, right: bigint, location: string): bigint {
  const sum = left + right;
  if (sum > AMOUNT_MINOR_MAX || sum < INT64_MIN) {
    refuse('invalid_value', 'the amounts add up beyond a signed 64-bit integer', location);
  }
  return sum;
}

export const signedMinor = (creditDebit: 'CRDT' | 'DBIT', amountMinor: bigint) =>
  creditDebit === 'CRDT' ? amountMinor : -amountMinor;
