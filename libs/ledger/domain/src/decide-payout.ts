import { LedgerCommandData } from '@rtp/contracts';
import { systemAccountIds } from './account';
import { accountCommandRejected } from './decide-account';
import { debitRefusal } from './decide-transfer';
import { AccountLookup, Decision, DecisionContext, eventDecision } from './decision';

/** A payout first holds the funds (pending debit); the partner's outcome settles or releases them. */
export function decideReservePayout(
  data: LedgerCommandData<'ReservePayout'>,
  accounts: AccountLookup,
): Decision {
  const account = accounts.find(data.accountId);
  const amountMinor = BigInt(data.amountMinor);
  const failureCode = account?.holds.has(data.paymentId)
    ? 'duplicate_payment'
    : debitRefusal(account, data.currency, amountMinor);
  if (failureCode) {
    const { reference: _reference, ...rest } = data;
    return eventDecision(data.accountId, 'PayoutRejected', { ...rest, failureCode });
  }
  return {
    ...eventDecision(data.accountId, 'PayoutReserved', data, true),
    holds: [
      {
        kind: 'placed',
        holdId: data.paymentId,
        accountId: data.accountId,
        amountMinor,
        currency: data.currency,
        partnerId: data.partnerId,
      },
    ],
  };
}

interface HoldOutcome {
  paymentId: string;
  accountId: string;
  outcome: 'settle' | 'release';
  detail: Record<string, unknown>;
  commandType: string;
}

/**
 * Settling posts the held amount to the partner's settlement shard; releasing returns it to
 * available. Either closes the hold, so the later of two conflicting outcomes is refused.
 */
export function decideHoldOutcome(
  outcome: HoldOutcome,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const account = accounts.find(outcome.accountId);
  const hold = account?.holds.get(outcome.paymentId);
  if (!account || hold === undefined) {
    return accountCommandRejected(
      outcome.accountId,
      outcome.commandType,
      account ? 'hold_not_found' : 'account_not_found',
      outcome.paymentId,
    );
  }
  const { amountMinor, partnerId } = hold;
  const base = {
    paymentId: outcome.paymentId,
    accountId: outcome.accountId,
    amountMinor: amountMinor.toString(),
    currency: account.currency,
    partnerId,
    ...outcome.detail,
  };
  if (outcome.outcome === 'release') {
    return {
      ...eventDecision(outcome.accountId, 'PayoutReleased', base, true),
      holds: [{ kind: 'released', holdId: outcome.paymentId, accountId: outcome.accountId }],
    };
  }
  const settlementId = systemAccountIds.settlement(partnerId, account.currency, context.partition);
  accounts.system(settlementId, 'settlement', account.currency);
  return {
    ...eventDecision(outcome.accountId, 'PayoutSettled', base, true),
    holds: [{ kind: 'settled', holdId: outcome.paymentId, accountId: outcome.accountId }],
    journal: {
      currency: account.currency,
      postings: [
        { accountId: outcome.accountId, amountMinor: -amountMinor },
        { accountId: settlementId, amountMinor },
      ],
    },
  };
}
