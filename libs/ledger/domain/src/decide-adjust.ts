import { LedgerCommandData } from '@rtp/contracts';
import { systemAccountIds } from './account';
import { accountCommandRejected } from './decide-account';
import { AccountLookup, Decision, DecisionContext, eventDecision, refusal } from './decision';
import { debitMustNotExceedAvailable } from './invariants';

/**
 * An administrative correction: a new journal between the account and the partition's adjustment
 * shard, with the reason and the actor in the event. History is never rewritten. Freezes do not stop
 * corrections; a closed account takes none, and a debit may not break the overdraft limit.
 */
export function decideAdjust(
  data: LedgerCommandData<'Adjust'>,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const account = accounts.find(data.accountId);
  const amountMinor = BigInt(data.amountMinor);
  let failureCode = refusal(account, data.currency, 'credit');
  if (failureCode === 'account_frozen') failureCode = null;
  if (
    !failureCode &&
    account &&
    amountMinor < 0n &&
    !debitMustNotExceedAvailable(account, -amountMinor)
  ) {
    failureCode = 'insufficient_funds';
  }
  if (failureCode) return accountCommandRejected(data.accountId, 'Adjust', failureCode);
  const adjustmentId = systemAccountIds.adjustment(data.currency, context.partition);
  accounts.system(adjustmentId, 'adjustment', data.currency);
  return {
    ...eventDecision(data.accountId, 'AccountAdjusted', data),
    journal: {
      currency: data.currency,
      postings: [
        { accountId: adjustmentId, amountMinor: -amountMinor },
        { accountId: data.accountId, amountMinor },
      ],
    },
  };
}

/**
 * Reconciliation's difference with the partner bank (a fee within tolerance, a correction two
 * admins agreed): its own journal, the settlement shard of the key's partition taking what the bank
 * moved beyond the ledger (`amountMinor` > 0: more went out) against the adjustment shard. No
 * customer balance moves; the event joins the stream of the account it concerns, if that exists.
 */
export function decidePartnerDifference(
  data: LedgerCommandData<'BookPartnerDifference'>,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const amountMinor = BigInt(data.amountMinor);
  const settlementAccountId = systemAccountIds.settlement(
    data.partnerId,
    data.currency,
    context.partition,
  );
  const adjustmentId = systemAccountIds.adjustment(data.currency, context.partition);
  accounts.system(settlementAccountId, 'settlement', data.currency);
  accounts.system(adjustmentId, 'adjustment', data.currency);
  return {
    ...eventDecision(data.accountId, 'PartnerDifferenceBooked', { ...data, settlementAccountId }),
    journal: {
      currency: data.currency,
      postings: [
        { accountId: settlementAccountId, amountMinor },
        { accountId: adjustmentId, amountMinor: -amountMinor },
      ],
    },
  };
}
