import { commandIds } from '@rtp/contracts';
import { PayoutEffect, partnerEffect } from './payout-effects';
import {
  Payout,
  PayoutState,
  awaitingState,
  bankRejectionReason,
  bankReturnReason,
} from './payout';

/** The bank's view of one transfer, as far as the decision needs it. */
export interface BankTransferView {
  id: string;
  status: 'accepted' | 'booked' | 'rejected' | 'returned';
  reasonCode: string | null;
  amountMinor: string;
  currency: string;
}

export interface PayoutChange {
  state: PayoutState;
  bankTransferId: string | null;
  nextCheckAt: Date | null;
  checks: number;
  effects: PayoutEffect[];
  returnWatchUntil: Date | null;
  /** Set when this change escalates the payout (its escalation time is recorded, once). */
  escalates?: boolean;
}

export interface StatusTimes {
  now: Date;
  /** When an accepted payout is asked again. */
  nextCheckAt: Date;
  /** How long a booked payout is still polled for a return. */
  returnWatchMs: number;
  /** Between two polls of a booked payout. */
  returnCheckIntervalMs: number;
}

/** The payout as it is, no change and nothing to publish. */
export function unchanged(payout: Payout): PayoutChange {
  return {
    state: payout.state,
    bankTransferId: payout.bankTransferId,
    nextCheckAt: payout.nextCheckAt,
    checks: payout.checks,
    effects: [],
    returnWatchUntil: payout.returnWatchUntil,
  };
}

const settle = (payout: Payout, transferId: string, at: Date): PayoutEffect[] => [
  {
    kind: 'ledger',
    type: 'SettlePayout',
    id: commandIds.settlePayout(payout.paymentId),
    data: {
      paymentId: payout.paymentId,
      accountId: payout.accountId,
      partnerReference: transferId,
    },
  },
  partnerEffect(payout, 'PayoutBookedByBank', 'booked', { bankTransferId: transferId }, at),
];

const giveBack = (payout: Payout, transfer: BankTransferView, at: Date): PayoutEffect[] => {
  const reasonCode = transfer.reasonCode ?? 'MS03';
  return [
    {
      kind: 'ledger',
      type: 'ReturnPayout',
      id: commandIds.returnPayout(payout.paymentId),
      data: {
        paymentId: payout.paymentId,
        accountId: payout.accountId,
        amountMinor: payout.amountMinor,
        currency: payout.currency,
        partnerId: payout.partnerId,
        partnerReference: transfer.id,
        // The ledger wants a snake_case reason; the partner event keeps the bank's ISO code.
        reasonCode: bankReturnReason(reasonCode),
      },
    },
    partnerEffect(
      payout,
      'PayoutReturnedByBank',
      'returned',
      { bankTransferId: transfer.id, reasonCode },
      at,
    ),
  ];
};

/** A refusal by the bank, with or without its transfer id: the hold is released. */
export function rejectionEffects(
  payout: Payout,
  transferId: string | null,
  isoCode: string,
  at: Date,
): PayoutEffect[] {
  return [
    {
      kind: 'ledger',
      type: 'ReleasePayout',
      id: commandIds.releasePayout(payout.paymentId),
      data: {
        paymentId: payout.paymentId,
        accountId: payout.accountId,
        reasonCode: bankRejectionReason(isoCode),
      },
    },
    partnerEffect(
      payout,
      'PayoutRejectedByBank',
      'rejected',
      { bankTransferId: transferId, reasonCode: isoCode },
      at,
    ),
  ];
}

/**
 * The payout after the bank said what became of its transfer. Each final step happens once: a
 * booked payout is settled once, a returned one returned once, whatever the number and order of
 * the answers (polls and webhooks). A transfer that does not match the payout is not acted on.
 */
export function applyBankStatus(
  payout: Payout,
  transfer: BankTransferView,
  times: StatusTimes,
): PayoutChange {
  const { now } = times;
  const base = { ...unchanged(payout), bankTransferId: transfer.id };
  const awaiting = ['queued', 'submitting', 'pending', 'escalated'].includes(payout.state);
  if (transfer.amountMinor !== payout.amountMinor || transfer.currency !== payout.currency) {
    return unchanged(payout);
  }
  if (transfer.status === 'accepted') {
    if (!awaiting) return unchanged(payout);
    const first = payout.bankTransferId === null;
    return {
      ...base,
      state: awaitingState(payout),
      nextCheckAt: times.nextCheckAt,
      effects: first
        ? [
            partnerEffect(
              payout,
              'PayoutAcceptedByBank',
              'accepted',
              { bankTransferId: transfer.id },
              now,
            ),
          ]
        : [],
    };
  }
  if (transfer.status === 'rejected') {
    if (!awaiting) return unchanged(payout);
    const code = transfer.reasonCode ?? 'MS03';
    return {
      ...base,
      state: 'rejected',
      nextCheckAt: null,
      effects: rejectionEffects(payout, transfer.id, code, now),
    };
  }
  const watchUntil = new Date(now.getTime() + times.returnWatchMs);
  if (transfer.status === 'booked') {
    if (!awaiting) return unchanged(payout);
    return {
      ...base,
      state: 'booked',
      nextCheckAt: new Date(now.getTime() + times.returnCheckIntervalMs),
      returnWatchUntil: watchUntil,
      effects: settle(payout, transfer.id, now),
    };
  }
  // returned: after booked (settle first if we never learned of the booking).
  if (payout.state === 'returned' || payout.state === 'rejected') return unchanged(payout);
  const settled = payout.state === 'booked' ? [] : settle(payout, transfer.id, now);
  return {
    ...base,
    state: 'returned',
    nextCheckAt: null,
    effects: [...settled, ...giveBack(payout, transfer, now)],
  };
}
