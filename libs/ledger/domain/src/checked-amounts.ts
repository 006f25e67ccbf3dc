import { AccountState } from './account';
import { Decision } from './decision';

/** The signed 64-bit range of every amount and balance column. */
export const AMOUNT_MINOR_MIN = -9_223_372_036_854_775_808n;
export const AMOUNT_MINOR_MAX = 9_223_372_036_854_775_807n;

export function fitsInt64(value: bigint): boolean {
  return value >= AMOUNT_MINOR_MIN && value <= AMOUNT_MINOR_MAX;
}

type Find = (accountId: string) => AccountState | undefined;

/**
 * Whether applying the decision keeps every posting, posted balance, pending total and available
 * balance (posted - pending) of the accounts it touches inside the signed 64-bit range. Checked on
 * the decision before it is applied, so an overflow is a rejection and never a failed transaction.
 */
export function decisionFitsInt64(decision: Decision, find: Find): boolean {
  const posted = new Map<string, bigint>();
  const pending = new Map<string, bigint>();
  const current = (id: string) => find(id) ?? null;
  for (const posting of decision.journal?.postings ?? []) {
    if (!fitsInt64(posting.amountMinor)) return false;
    const account = current(posting.accountId);
    const before = posted.get(posting.accountId) ?? account?.postedMinor ?? 0n;
    posted.set(posting.accountId, before + posting.amountMinor);
  }
  for (const hold of decision.holds) {
    const account = current(hold.accountId);
    const before = pending.get(hold.accountId) ?? account?.pendingMinor ?? 0n;
    const change =
      hold.kind === 'placed'
        ? hold.amountMinor
        : -(account?.holds.get(hold.holdId)?.amountMinor ?? 0n);
    pending.set(hold.accountId, before + change);
  }
  for (const accountId of new Set([...posted.keys(), ...pending.keys()])) {
    const account = current(accountId);
    const postedAfter = posted.get(accountId) ?? account?.postedMinor ?? 0n;
    const pendingAfter = pending.get(accountId) ?? account?.pendingMinor ?? 0n;
    if (
      !fitsInt64(postedAfter) ||
      !fitsInt64(pendingAfter) ||
      !fitsInt64(postedAfter - pendingAfter)
    ) {
      return false;
    }
  }
  return true;
}
