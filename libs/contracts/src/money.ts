import { z } from 'zod';
import currencyCodes from 'currency-codes';

/** Largest amount a signed 64-bit column holds; amounts are integer minor units. */
export const AMOUNT_MINOR_MAX = 9_223_372_036_854_775_807n;

/** A positive amount in minor units, carried as a string of digits because JSON numbers lose bigints. */
export const positiveAmountMinorSchema = z
  .string()
  // abort: without digits the refinement below would throw (BigInt('12.5')) instead of refusing.
  .regex(/^[1-9][0-9]{0,18}$/, {
    message: 'must be a positive integer number of minor units, as digits',
    abort: true,
  })
  .refine((value) => BigInt(value) <= AMOUNT_MINOR_MAX, 'must fit in a signed 64-bit integer');

/** A signed amount (a balance), digits with an optional minus sign. */
export const signedAmountMinorSchema = z.string().regex(/^-?(0|[1-9][0-9]{0,18})$/);

export function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && currencyCodes.code(code) !== undefined;
}

/**
 * ISO 4217 codes that are not money an account can hold: precious metals, bond-market units, the
 * IMF's SDR, SUCRE, the ADB unit, the testing code and "no currency". XAF, XOF, XCD and XPF are
 * money.
 */
export const NON_MONEY_CURRENCIES: ReadonlySet<string> = new Set([
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
  'XTS',
  'XXX',
]);

/**
 * A currency a new account or payment may use. Events and commands keep parsing with
 * `isKnownCurrency`, so that anything already written (an account opened in XXX) still reads.
 */
export function isMoneyCurrency(code: string): boolean {
  return isKnownCurrency(code) && !NON_MONEY_CURRENCIES.has(code);
}

/** ISO 4217 minor-unit exponent (EUR 2, JPY 0, BHD 3). */
export function currencyExponent(code: string): number {
  const entry = currencyCodes.code(code);
  if (!entry) throw new Error(`unknown currency ${code}`);
  return entry.digits;
}

export const currencySchema = z
  .string()
  .refine(isKnownCurrency, 'must be an ISO 4217 alpha-3 currency code in upper case');
