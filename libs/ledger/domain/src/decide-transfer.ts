import {
  LedgerCommandData,
  LedgerRejectionCode,
  commandIds,
  isLedgerRejectionCode,
} from '@rtp/contracts';
import { AccountState, systemAccountIds } from './account';
import {
  AccountLookup,
  Decision,
  DecisionContext,
  eventDecision,
  nothing,
  refusal,
} from './decision';
import { InvariantViolation, debitMustNotExceedAvailable } from './invariants';

/** Why a debit of `amountMinor` cannot leave the account, or null when it can. */
export function debitRefusal(
  account: AccountState | undefined,
  currency: string,
  amountMinor: bigint,
): LedgerRejectionCode | null {
  const refused = refusal(account, currency, 'debit');
  if (refused || !account) return refused;
  if (account.perDebitLimitMinor !== null && amountMinor > account.perDebitLimitMinor)
    return 'limit_exceeded';
  if (!debitMustNotExceedAvailable(account, amountMinor)) return 'insufficient_funds';
  return null;
}

function leg(data: LedgerCommandData<'CreditTransfer'>) {
  const { paymentId, sourceAccountId, destinationAccountId, amountMinor, currency } = data;
  return { paymentId, sourceAccountId, destinationAccountId, amountMinor, currency };
}

export function decideDeposit(
  data: LedgerCommandData<'Deposit'>,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const { partnerId, reference, ...rest } = data;
  const failureCode = refusal(accounts.find(data.accountId), data.currency, 'credit');
  if (failureCode)
    return eventDecision(data.accountId, 'DepositRejected', { ...rest, reference, failureCode });
  const settlementId = systemAccountIds.settlement(partnerId, data.currency, context.partition);
  accounts.system(settlementId, 'settlement', data.currency);
  const amountMinor = BigInt(data.amountMinor);
  return {
    ...eventDecision(data.accountId, 'DepositCompleted', { ...rest, reference }),
    journal: {
      currency: data.currency,
      postings: [
        { accountId: settlementId, amountMinor: -amountMinor },
        { accountId: data.accountId, amountMinor },
      ],
    },
  };
}

export function decideTransferFunds(
  data: LedgerCommandData<'TransferFunds'>,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const amountMinor = BigInt(data.amountMinor);
  const failureCode =
    data.sourceAccountId === data.destinationAccountId
      ? 'same_account'
      : debitRefusal(accounts.find(data.sourceAccountId), data.currency, amountMinor);
  if (failureCode)
    return eventDecision(data.sourceAccountId, 'TransferRejected', { ...data, failureCode });
  const transitId = systemAccountIds.transit(data.currency, context.partition);
  accounts.system(transitId, 'transit', data.currency);
  return {
    ...eventDecision(data.sourceAccountId, 'TransferDebited', data),
    journal: {
      currency: data.currency,
      postings: [
        { accountId: data.sourceAccountId, amountMinor: -amountMinor },
        { accountId: transitId, amountMinor },
      ],
    },
    followUps: [
      {
        id: commandIds.creditTransfer(data.paymentId),
        type: 'CreditTransfer',
        key: data.destinationAccountId,
        data: leg(data),
      },
    ],
  };
}

export function decideCreditTransfer(
  data: LedgerCommandData<'CreditTransfer'>,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const failureCode = refusal(accounts.find(data.destinationAccountId), data.currency, 'credit');
  if (failureCode) {
    return {
      ...nothing(),
      followUps: [
        {
          id: commandIds.refundTransfer(data.paymentId),
          type: 'RefundTransfer',
          key: data.sourceAccountId,
          data: { ...leg(data), failureCode },
        },
      ],
    };
  }
  const transitId = systemAccountIds.transit(data.currency, context.partition);
  accounts.system(transitId, 'transit', data.currency);
  const amountMinor = BigInt(data.amountMinor);
  return {
    ...eventDecision(data.destinationAccountId, 'TransferCompleted', leg(data)),
    journal: {
      currency: data.currency,
      postings: [
        { accountId: transitId, amountMinor: -amountMinor },
        { accountId: data.destinationAccountId, amountMinor },
      ],
    },
  };
}

/** In-flight money always goes home, even to a frozen or closed account: it was never spent. */
export function decideRefundTransfer(
  data: LedgerCommandData<'RefundTransfer'>,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const transitId = systemAccountIds.transit(data.currency, context.partition);
  accounts.system(transitId, 'transit', data.currency);
  const amountMinor = BigInt(data.amountMinor);
  const failureCode = refundedFor(data.failureCode);
  return {
    ...eventDecision(data.sourceAccountId, 'TransferRefunded', { ...data, failureCode }),
    journal: {
      currency: data.currency,
      postings: [
        { accountId: transitId, amountMinor: -amountMinor },
        { accountId: data.sourceAccountId, amountMinor },
      ],
    },
  };
}

/**
 * A refund is only ever sent by the ledger itself, with the code that refused its second leg: any
 * other value is a bug, refused as processing_failed like any event that breaks its contract.
 */
function refundedFor(failureCode: string): LedgerRejectionCode {
  if (isLedgerRejectionCode(failureCode)) return failureCode;
  throw new InvariantViolation('RefundNamesARejectionCode', `refund for ${failureCode}`);
}
