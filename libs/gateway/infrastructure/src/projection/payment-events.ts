import { LedgerEvent, PartnerEvent } from '@rtp/contracts';
import { PaymentStatus } from '@rtp/gateway/application';

/**
 * The statuses an event shows its payment has reached, in lifecycle order. An event implies the
 * statuses before its own: a completed transfer was debited (processing) first, a settled payout
 * was held (processing) and submitted to the bank (pending) first. So a payment's messages on
 * payments.events.v1 are its whole path whatever order its events are projected in (they come on
 * several partitions and two topics) and however they are batched: a live run, a run across
 * crashes and a rebuild publish the same statuses with the same sequence numbers.
 */
export const LIFECYCLE_PATHS = {
  TransferDebited: ['processing'],
  TransferRejected: ['rejected'],
  TransferCompleted: ['processing', 'completed'],
  TransferRefunded: ['processing', 'rejected'],
  DepositCompleted: ['completed'],
  DepositRejected: ['rejected'],
  PayoutReserved: ['processing'],
  PayoutRejected: ['rejected'],
  PayoutSubmitted: ['processing', 'pending'],
  PayoutSettled: ['processing', 'pending', 'completed'],
  PayoutReleased: ['processing', 'pending', 'failed'],
  PayoutReturned: ['processing', 'pending', 'completed', 'returned'],
} as const satisfies Record<string, readonly PaymentStatus[]>;

/** Statuses one event (or several of one payment, merged) shows a payment reached. */
export interface StatusesReached {
  paymentId: string;
  /** Each status once, in the order first reached, with the events that show it and when. */
  statuses: Map<PaymentStatus, { derivedFrom: string[]; at: Date }>;
}

/** The payment an event is about, when it is one LIFECYCLE_PATHS knows. */
function paymentIdOf(event: LedgerEvent | PartnerEvent): string | null {
  switch (event.type) {
    case 'TransferDebited':
    case 'TransferRejected':
    case 'TransferCompleted':
    case 'TransferRefunded':
      return event.data.paymentId;
    case 'DepositCompleted':
    case 'DepositRejected':
      return event.data.depositId;
    case 'PayoutReserved':
    case 'PayoutRejected':
    case 'PayoutSettled':
    case 'PayoutReleased':
    case 'PayoutReturned':
    case 'PayoutSubmitted':
      return event.data.paymentId;
    default:
      return null;
  }
}

/** What one event (with its envelope's id and time) says about its payment's statuses. */
export function statusesReachedOf(
  event: LedgerEvent | PartnerEvent,
  eventId: string,
  at: Date,
): StatusesReached | null {
  const paymentId = paymentIdOf(event);
  if (paymentId === null) return null;
  const path: readonly PaymentStatus[] =
    LIFECYCLE_PATHS[event.type as keyof typeof LIFECYCLE_PATHS];
  return {
    paymentId,
    statuses: new Map(path.map((status) => [status, { derivedFrom: [eventId], at }])),
  };
}

/** Folds what several events show, payment by payment: each status's events together. */
export function mergeStatusesReached(
  reached: readonly (StatusesReached | null)[],
): Map<string, StatusesReached> {
  const merged = new Map<string, StatusesReached>();
  for (const one of reached) {
    if (one === null) continue;
    const earlier = merged.get(one.paymentId);
    if (!earlier) {
      merged.set(one.paymentId, { paymentId: one.paymentId, statuses: new Map(one.statuses) });
      continue;
    }
    for (const [status, { derivedFrom, at }] of one.statuses) {
      const seen = earlier.statuses.get(status);
      earlier.statuses.set(
        status,
        seen
          ? {
              derivedFrom: [...new Set([...seen.derivedFrom, ...derivedFrom])],
              at: seen.at <= at ? seen.at : at,
            }
          : { derivedFrom, at },
      );
    }
  }
  return merged;
}
