import { LedgerCommand, LedgerCommandData } from '@rtp/contracts';
import { decideClose, decideFreeze, decideOpenAccount } from './decide-account';
import { decideAdjust, decidePartnerDifference } from './decide-adjust';
import {
  HoldOutcome,
  decideHoldOutcome,
  decideReservePayout,
  decideReturnPayout,
} from './decide-payout';
import {
  decideCreditTransfer,
  decideDeposit,
  decideRefundTransfer,
  decideTransferFunds,
} from './decide-transfer';
import { decisionFitsInt64 } from './checked-amounts';
import { decideRejection } from './decide-rejection';
import { AccountLookup, Decision, DecisionContext } from './decision';

export * from './decision';

/**
 * The ledger's decider: pure, given the accounts of the command's partition. A decision that would
 * take any balance it touches (system accounts included) out of the signed 64-bit range is refused
 * with `amount_out_of_range` before anything is applied or written.
 */
export function decide(
  command: LedgerCommand,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  const decision = decideCommand(command, accounts, context);
  if (decisionFitsInt64(decision, (id) => accounts.find(id))) return decision;
  return decideRejection(command, 'amount_out_of_range');
}

function decideCommand(
  command: LedgerCommand,
  accounts: AccountLookup,
  context: DecisionContext,
): Decision {
  switch (command.type) {
    case 'OpenAccount':
      return decideOpenAccount(command.data, accounts);
    case 'FreezeAccount':
    case 'UnfreezeAccount':
      return decideFreeze(command.data, accounts, command.type);
    case 'CloseAccount':
      return decideClose(command.data, accounts);
    case 'Deposit':
      return decideDeposit(command.data, accounts, context);
    case 'TransferFunds':
      return decideTransferFunds(command.data, accounts, context);
    case 'CreditTransfer':
      return decideCreditTransfer(command.data, accounts, context);
    case 'RefundTransfer':
      return decideRefundTransfer(command.data, accounts, context);
    case 'ReservePayout':
      return decideReservePayout(command.data, accounts);
    case 'SettlePayout':
      return decideHoldOutcome(
        { ...command.data, outcome: 'settle', commandType: command.type, resolvedBy: null },
        accounts,
        context,
      );
    case 'ReleasePayout':
      return decideHoldOutcome(
        { ...command.data, outcome: 'release', commandType: command.type, resolvedBy: null },
        accounts,
        context,
      );
    case 'ReturnPayout':
      return decideReturnPayout(command.data, accounts, context);
    case 'ResolvePayment':
      return decideHoldOutcome(resolution(command.data), accounts, context);
    case 'Adjust':
      return decideAdjust(command.data, accounts, context);
    case 'BookPartnerDifference':
      return decidePartnerDifference(command.data, accounts, context);
  }
}

/** Reconciliation's verdict as a hold outcome, with its evidence and actor recorded in the event. */
function resolution(data: LedgerCommandData<'ResolvePayment'>): HoldOutcome {
  const { paymentId, accountId, actor } = data;
  const common = {
    paymentId,
    accountId,
    commandType: 'ResolvePayment' as const,
    resolvedBy: actor,
  };
  return data.resolution === 'settle'
    ? { ...common, outcome: 'settle', partnerReference: `reconciliation: ${data.evidence}` }
    : {
        ...common,
        outcome: 'release',
        reasonCode: data.bankReasonCode
          ? `bank_rejected_${data.bankReasonCode.toLowerCase()}`
          : 'reconciliation',
      };
}
