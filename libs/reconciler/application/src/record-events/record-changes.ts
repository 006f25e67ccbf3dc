import { LedgerEvent, PartnerEvent, payoutEndToEndId } from '@rtp/contracts';
import {
  CreditDebit,
  RecordKind,
  RecordStatus,
  depositTransactionId,
} from '@rtp/reconciler/domain';

/**
 * What one event says about a record of ours; fields it does not know are null. A partner event
 * (another topic, any order against the ledger's) only knows that the payout is pending.
 */
export interface RecordChange {
  recordId: string;
  kind: RecordKind;
  accountId: string;
  partnerId: string;
  creditDebit: CreditDebit;
  amountMinor: string | null;
  currency: string | null;
  status: RecordStatus;
  endToEndId: string | null;
  bankTransactionId: string | null;
  /** The day the money moved by our side (settled, returned, deposited). */
  date: string | null;
}

const dayOf = (time: string) => new Date(time).toISOString().slice(0, 10);

/** The record change of a ledger event about money at `partnerId`'s bank, or null. */
export function ledgerRecordChange(
  event: LedgerEvent,
  time: string,
  partnerId: string,
): RecordChange | null {
  if (event.type === 'DepositCompleted') {
    const transactionId = depositTransactionId(event.data.depositId, partnerId);
    if (transactionId === null) return null;
    const { depositId, accountId, amountMinor, currency } = event.data;
    return {
      recordId: depositId,
      kind: 'deposit',
      accountId,
      partnerId,
      creditDebit: 'CRDT',
      amountMinor,
      currency,
      status: 'completed',
      endToEndId: null,
      bankTransactionId: transactionId,
      date: dayOf(time),
    };
  }
  const statusByType: Partial<Record<LedgerEvent['type'], RecordStatus>> = {
    PayoutReserved: 'processing',
    PayoutSettled: 'completed',
    PayoutReleased: 'failed',
    PayoutReturned: 'returned',
  };
  const status = statusByType[event.type];
  if (!status) return null;
  const data = event.data as Extract<LedgerEvent, { type: 'PayoutReserved' }>['data'];
  if (data.partnerId !== partnerId) return null;
  return {
    recordId: data.paymentId,
    kind: 'payout',
    accountId: data.accountId,
    partnerId,
    creditDebit: 'DBIT',
    amountMinor: data.amountMinor,
    currency: data.currency,
    status,
    endToEndId: data.endToEndId ?? payoutEndToEndId(data.paymentId),
    bankTransactionId: null,
    // A return keeps the settled day: the debit it answers was booked then.
    date: status === 'completed' ? dayOf(time) : null,
  };
}

const PENDING_EVENTS: ReadonlySet<string> = new Set([
  'PayoutSubmitted',
  'PayoutAcceptedByBank',
  'PayoutOutcomeUnknown',
  'PayoutEscalated',
]);

/** A partner event's word: the payout is pending at the bank (the ledger decides the rest). */
export function partnerRecordChange(event: PartnerEvent, partnerId: string): RecordChange | null {
  if (!PENDING_EVENTS.has(event.type)) return null;
  const data = event.data as Extract<PartnerEvent, { type: 'PayoutSubmitted' }>['data'];
  if (data.partnerId !== partnerId) return null;
  return {
    recordId: data.paymentId,
    kind: 'payout',
    accountId: data.accountId,
    partnerId,
    creditDebit: 'DBIT',
    amountMinor: null,
    currency: null,
    status: 'pending',
    endToEndId: payoutEndToEndId(data.paymentId),
    bankTransactionId: null,
    date: null,
  };
}
