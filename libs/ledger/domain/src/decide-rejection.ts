import { LedgerCommand, LedgerRejectionCode, commandIds } from '@rtp/contracts';
import { accountCommandRejected } from './decide-account';
import { payoutRejected } from './decide-payout';
import { Decision, eventDecision, nothing } from './decision';

/**
 * Refuses a command whole with `failureCode`, whatever its type, with the rejection event its
 * clients already wait for. Used when a decision cannot be applied (an amount out of range) and when
 * the batch path isolated the command as the cause of a permanent failure. Money already in transit
 * goes home: a refused second leg becomes a refund; a refused refund leaves the money in transit,
 * visible and recorded, for an operator to resolve.
 */
export function decideRejection(
  command: LedgerCommand,
  failureCode: LedgerRejectionCode,
): Decision {
  switch (command.type) {
    case 'OpenAccount':
      return eventDecision(command.data.accountId, 'AccountOpenRejected', {
        accountId: command.data.accountId,
        ownerId: command.data.ownerId,
        failureCode,
      });
    case 'Deposit': {
      const { partnerId: _partnerId, ...rest } = command.data;
      return eventDecision(command.data.accountId, 'DepositRejected', { ...rest, failureCode });
    }
    case 'TransferFunds':
      return eventDecision(command.data.sourceAccountId, 'TransferRejected', {
        ...command.data,
        failureCode,
      });
    case 'CreditTransfer': {
      const { paymentId } = command.data;
      return {
        ...nothing(),
        followUps: [
          {
            id: commandIds.refundTransfer(paymentId),
            type: 'RefundTransfer',
            key: command.data.sourceAccountId,
            data: { ...command.data, failureCode },
          },
        ],
      };
    }
    case 'RefundTransfer':
      return accountCommandRejected(
        command.data.sourceAccountId,
        command.type,
        failureCode,
        command.data.paymentId,
      );
    case 'ReservePayout':
      return payoutRejected(command.data, failureCode);
    case 'SettlePayout':
    case 'ReturnPayout':
    case 'ReleasePayout':
    case 'ResolvePayment':
      return accountCommandRejected(
        command.data.accountId,
        command.type,
        failureCode,
        command.data.paymentId,
      );
    default:
      return accountCommandRejected(command.data.accountId, command.type, failureCode);
  }
}
