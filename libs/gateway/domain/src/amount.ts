import { AMOUNT_MINOR_MAX } from '@rtp/contracts';

export type AmountParseResult = { ok: true; amountMinor: string } | { ok: false; reason: string };

/**
 * Amounts are integer minor units: a string of digits ("1050" is 10.50 EUR), or a JSON integer up to
 * 2^53-1. Zero, negatives, decimals, exponents and more than 19 digits are refused.
 */
export function parseAmountMinor(input: unknown): AmountParseResult {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input)) {
      return { ok: false, reason: 'a JSON number amount must be an integer no larger than 2^53-1' };
    }
    if (input <= 0) return { ok: false, reason: 'amount must be greater than zero' };
    return { ok: true, amountMinor: String(input) };
  }
  if (typeof input !== 'string') return { ok: false, reason: 'amount must be a string of digits' };
  if (!/^[0-9]+$/.test(input)) {
    return { ok: false, reason: 'amount must be a whole number of minor units, digits only' };
  }
  if (input.length > 19) return { ok: false, reason: 'amount has more than 19 digits' };
  if (/^0+$/.test(input)) return { ok: false, reason: 'amount must be greater than zero' };
  if (input.startsWith('0')) return { ok: false, reason: 'amount must not have leading zeros' };
  if (BigInt(input) > AMOUNT_MINOR_MAX)
    return { ok: false, reason: 'amount exceeds 9223372036854775807' };
  return { ok: true, amountMinor: input };
}
