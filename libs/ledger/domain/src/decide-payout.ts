import { LedgerCommandData, LedgerRejectionCode } from '@rtp/contracts';
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
  if (failureCode) return payoutRejected(data, failureCode);
  return {
    ...eventDecision(data.accountId, 'PayoutReserved', data),
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

/**
 * The refusal of a reservation: the payout's facts without the beneficiary and the bank reference;
 * the client's reference is kept so a rebuilt read model shows the payout as it was accepted.
 */
export function payoutRejected(
  data: LedgerCommandData<'ReservePayout'>,
  failureCode: LedgerRejectionCode,
): Decision {
  const { paymentId, accountId, amountMinor, currency, partnerId, initiatedBy, reference } = data;
  return eventDecision(accountId, 'PayoutRejected', {
    ...{ paymentId, accountId, amountMinor, currency, partnerId, initiatedBy, reference },
    failureCode,
  });
}

/** The partner's (or reconciliation's) verdict on a held payout. */
export type HoldOutcome = {
  paymentId: string;
  accountId: string;
  commandType: 'SettlePayout' | 'ReleasePayout' | 'ResolvePayment';
  resolvedBy: string | null;
} & ({ outcome: 'settle'; partnerReference: string } | { outcome: 'release'; reasonCode: string });

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
  const { paymentId, accountId, resolvedBy } = outcome;
  const held = {
    paymentId,
    accountId,
    amountMinor: amountMinor.toString(),
    currency: account.currency,
    partnerId,
    resolvedBy,
  };
  if (outcome.outcome === 'release') {
    return {
      ...eventDecision(accountId, 'PayoutReleased', { ...held, reasonCode: outcome.reasonCode }),
      holds: [{ kind: 'released', holdId: paymentId, accountId }],
    };
  }
  const settlementId = systemAccountIds.settlement(partnerId, account.currency, context.partition);
  accounts.system(settlementId, 'settlement', account.currency);
  const partnerReference = outcome.partnerReference;
  return {
    ...eventDecision(accountId, 'PayoutSettled', { ...held, partnerReference }),
    holds: [{ kind: 'settled', holdId: paymentId, accountId }],
    journal: {
      currency: account.currency,
      postings: [
        { accountId, amountMinor: -amountMinor },
        { accountId: settlementId, amountMinor },
      ],
    },
  };
}

/**
 * The bank returned a settled payout: the amount goes back from the partner's settlement shard to
 * the customer. Like a refund it goes home even to a frozen or closed account (it was never the
 * customer's choice to spend it twice). Refused when the ledger has no settled payout of that id
 * on this account (still held, released, or unknown), or when the return names other facts.
 */
export function decideReturnPayout(
  data: LedgerCommandData<'ReturnPayout'>,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const account = accounts.find(data.accountId);
  const settled = accounts.settledPayout(data.paymentId);
  const refused = (code: LedgerRejectionCode) =>
    accountCommandRejected(data.accountId, 'ReturnPayout', code, data.paymentId);
  if (!account) return refused('account_not_found');
  if (!settled || settled.accountId !== data.accountId) return refused('payout_not_settled');
  const amountMinor = BigInt(data.amountMinor);
  if (
    settled.amountMinor !== amountMinor ||
    settled.currency !== data.currency ||
    settled.partnerId !== data.partnerId
  ) {
    return refused('payout_return_mismatch');
  }
  const settlementId = systemAccountIds.settlement(
    data.partnerId,
    data.currency,
    context.partition,
  );
  accounts.system(settlementId, 'settlement', data.currency);
  return {
    ...eventDecision(data.accountId, 'PayoutReturned', data),
    journal: {
      currency: data.currency,
      postings: [
        { accountId: settlementId, amountMinor: -amountMinor },
        { accountId: data.accountId, amountMinor },
      ],
    },
  };
}
