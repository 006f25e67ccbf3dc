import type { RandomSource } from './seeded-random';

/** The bank's own rules, besides the injected faults. */
export interface BookingRules {
  /** Creditor IBANs the bank refuses, each with its ISO reason code (AC04 closed, AC06 blocked). */
  deniedCreditors: ReadonlyMap<string, string>;
  /** A transfer above this amount (minor units) is refused AM02 (not allowed amount). */
  amountMinorMax: bigint;
  /** The share of booked transfers returned later, 0 to 1. */
  returnRate: number;
}

export interface TransferToBook {
  id: string;
  creditorIban: string;
  amountMinor: bigint;
}

export type BookingDecision =
  | { status: 'booked'; returnReasonCode: string | null }
  | { status: 'rejected'; reasonCode: string; cause: 'rule' | 'fault' };

/** Why a booked transfer comes back, chosen evenly: account closed, end customer deceased. */
export const RETURN_REASON_CODES = ['AC04', 'MD07'] as const;

/**
 * Books or rejects one accepted transfer. The rules come first (a bank refuses what it must),
 * then the balance of our settlement account (AM04), then the injected reject rate (MS03). A
 * booked transfer is marked for a return with the configured probability. Pure: the uniforms
 * come from `random`, derived from the seed and the transfer's id.
 */
export function decideBooking(
  transfer: TransferToBook,
  availableMinor: bigint | null,
  rules: BookingRules,
  rejectRate: number,
  random: RandomSource,
): BookingDecision {
  const rejectDraw = random.next();
  const returnDraw = random.next();
  const reasonDraw = random.next();
  const denied = rules.deniedCreditors.get(transfer.creditorIban);
  if (denied) return { status: 'rejected', reasonCode: denied, cause: 'rule' };
  if (transfer.amountMinor > rules.amountMinorMax) {
    return { status: 'rejected', reasonCode: 'AM02', cause: 'rule' };
  }
  if (availableMinor === null || availableMinor < transfer.amountMinor) {
    return { status: 'rejected', reasonCode: 'AM04', cause: 'rule' };
  }
  if (rejectDraw < rejectRate) return { status: 'rejected', reasonCode: 'MS03', cause: 'fault' };
  const returned = returnDraw < rules.returnRate;
  const reason = RETURN_REASON_CODES[Math.floor(reasonDraw * RETURN_REASON_CODES.length)];
  return { status: 'booked', returnReasonCode: returned ? reason : null };
}
