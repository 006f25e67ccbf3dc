import {
  LedgerCommand,
  LedgerCommandData,
  LedgerCommandType,
  LedgerEventType,
  LedgerRejectionCode,
  commandIds,
} from '@rtp/contracts';
import { AccountKind, AccountState, systemAccountIds } from './account';
import { Journal, debitMustNotExceedAvailable } from './invariants';

/** The accounts a decision may read; system accounts are created on first use by their owner. */
export interface AccountLookup {
  find(accountId: string): AccountState | undefined;
  system(accountId: string, kind: AccountKind, currency: string): AccountState;
}

export interface DecisionContext {
  partition: number;
}

export interface DecidedEvent {
  /** The account whose stream records the event (and whose partition it is published on). */
  streamId: string;
  type: LedgerEventType;
  data: Record<string, unknown>;
  /** Money-moving events carry the stream account's balance after the journal. */
  withBalance: boolean;
}

export interface FollowUpCommand {
  id: string;
  type: LedgerCommandType;
  key: string;
  data: Record<string, unknown>;
}

export interface Decision {
  events: DecidedEvent[];
  journal: Journal | null;
  opened: AccountState | null;
  followUps: FollowUpCommand[];
}

const nothing = (): Decision => ({ events: [], journal: null, opened: null, followUps: [] });

function event(streamId: string, type: LedgerEventType, data: object, withBalance = false): Decision {
  return { ...nothing(), events: [{ streamId, type, data: { ...data }, withBalance }] };
}

/** Why an account cannot take part in a movement, or null when it can. */
function refusal(account: AccountState | undefined, currency: string): LedgerRejectionCode | null {
  if (!account) return 'account_not_found';
  if (account.status === 'closed') return 'account_closed';
  if (account.status === 'frozen') return 'account_frozen';
  if (account.currency !== currency) return 'currency_mismatch';
  return null;
}

export function decide(command: LedgerCommand, accounts: AccountLookup, context: DecisionContext): Decision {
  switch (command.type) {
    case 'OpenAccount':
      return decideOpenAccount(command.data, accounts);
    case 'Deposit':
      return decideDeposit(command.data, accounts, context);
    case 'TransferFunds':
      return decideTransferFunds(command.data, accounts, context);
    case 'CreditTransfer':
      return decideCreditTransfer(command.data, accounts, context);
    case 'RefundTransfer':
      return decideRefundTransfer(command.data, accounts, context);
  }
}

function decideOpenAccount(data: LedgerCommandData<'OpenAccount'>, accounts: AccountLookup): Decision {
  if (accounts.find(data.accountId)) {
    return event(data.accountId, 'AccountOpenRejected', {
      accountId: data.accountId,
      ownerId: data.ownerId,
      failureCode: 'account_already_exists',
    });
  }
  const opened: AccountState = {
    accountId: data.accountId,
    currency: data.currency,
    kind: 'customer',
    status: 'active',
    postedMinor: 0n,
    pendingMinor: 0n,
    overdraftLimitMinor: 0n,
    sequence: 0,
  };
  const decision = event(data.accountId, 'AccountOpened', { ...data, status: 'active' }, true);
  return { ...decision, opened };
}

function decideDeposit(
  data: LedgerCommandData<'Deposit'>,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const account = accounts.find(data.accountId);
  const failureCode = refusal(account, data.currency);
  if (failureCode) return event(data.accountId, 'DepositRejected', { ...withoutReference(data), failureCode });
  const settlementId = systemAccountIds.settlement(data.partnerId, data.currency, context.partition);
  accounts.system(settlementId, 'settlement', data.currency);
  const amountMinor = BigInt(data.amountMinor);
  return {
    ...event(data.accountId, 'DepositCompleted', withoutPartner(data), true),
    journal: {
      currency: data.currency,
      postings: [
        { accountId: settlementId, amountMinor: -amountMinor },
        { accountId: data.accountId, amountMinor },
      ],
    },
  };
}

function withoutReference(data: LedgerCommandData<'Deposit'>) {
  const { reference: _reference, partnerId: _partnerId, ...rest } = data;
  return rest;
}

function withoutPartner(data: LedgerCommandData<'Deposit'>) {
  const { partnerId: _partnerId, ...rest } = data;
  return rest;
}

function transferLeg(data: LedgerCommandData<'CreditTransfer'>) {
  const { paymentId, sourceAccountId, destinationAccountId, amountMinor, currency } = data;
  return { paymentId, sourceAccountId, destinationAccountId, amountMinor, currency };
}

function decideTransferFunds(
  data: LedgerCommandData<'TransferFunds'>,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const source = accounts.find(data.sourceAccountId);
  const amountMinor = BigInt(data.amountMinor);
  let failureCode = refusal(source, data.currency);
  if (!failureCode && data.sourceAccountId === data.destinationAccountId) failureCode = 'same_account';
  if (!failureCode && source && !debitMustNotExceedAvailable(source, amountMinor)) {
    failureCode = 'insufficient_funds';
  }
  if (failureCode) {
    const { reference: _reference, metadata: _metadata, ...rest } = data;
    return event(data.sourceAccountId, 'TransferRejected', { ...rest, failureCode });
  }
  const transitId = systemAccountIds.transit(data.currency, context.partition);
  accounts.system(transitId, 'transit', data.currency);
  return {
    ...event(data.sourceAccountId, 'TransferDebited', data, true),
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
        data: transferLeg(data),
      },
    ],
  };
}

function decideCreditTransfer(
  data: LedgerCommandData<'CreditTransfer'>,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const destination = accounts.find(data.destinationAccountId);
  const failureCode = refusal(destination, data.currency);
  if (failureCode) {
    return {
      ...nothing(),
      followUps: [
        {
          id: commandIds.refundTransfer(data.paymentId),
          type: 'RefundTransfer',
          key: data.sourceAccountId,
          data: { ...transferLeg(data), failureCode },
        },
      ],
    };
  }
  const transitId = systemAccountIds.transit(data.currency, context.partition);
  accounts.system(transitId, 'transit', data.currency);
  const amountMinor = BigInt(data.amountMinor);
  return {
    ...event(data.destinationAccountId, 'TransferCompleted', transferLeg(data), true),
    journal: {
      currency: data.currency,
      postings: [
        { accountId: transitId, amountMinor: -amountMinor },
        { accountId: data.destinationAccountId, amountMinor },
      ],
    },
  };
}

function decideRefundTransfer(
  data: LedgerCommandData<'RefundTransfer'>,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const transitId = systemAccountIds.transit(data.currency, context.partition);
  accounts.system(transitId, 'transit', data.currency);
  const amountMinor = BigInt(data.amountMinor);
  // In-flight money always goes home, even to a frozen or closed account: it was never spent.
  return {
    ...event(data.sourceAccountId, 'TransferRefunded', data, true),
    journal: {
      currency: data.currency,
      postings: [
        { accountId: transitId, amountMinor: -amountMinor },
        { accountId: data.sourceAccountId, amountMinor },
      ],
    },
  };
}
