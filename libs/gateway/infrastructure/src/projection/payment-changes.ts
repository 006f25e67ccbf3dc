import { LedgerEvent } from '@rtp/contracts';

export type PaymentStatus = 'processing' | 'completed' | 'rejected';

/** What one event, or several events of one payment merged in order, write into its row. */
export interface PaymentUpsert {
  paymentId: string;
  kind: 'transfer' | 'deposit';
  /** Null when the event does not know it (the credit leg); the row then keeps or waits for it. */
  clientId: string | null;
  sourceAccountId: string | null;
  destinationAccountId: string;
  amountMinor: string;
  currency: string;
  status: PaymentStatus;
  failureCode: string | null;
  /** Which leg refused a rejected transfer; null for anything else. */
  failedLeg: 'debit' | 'credit' | null;
  reference: string | null;
  metadata: Record<string, string> | null;
}

function transfer(d: {
  paymentId: string;
  sourceAccountId: string;
  destinationAccountId: string;
  amountMinor: string;
  currency: string;
}) {
  return {
    paymentId: d.paymentId,
    kind: 'transfer' as const,
    sourceAccountId: d.sourceAccountId,
    destinationAccountId: d.destinationAccountId,
    amountMinor: d.amountMinor,
    currency: d.currency,
  };
}

/** What an event writes into its payment's row; null for events that are not about a payment. */
export function paymentUpsertOf(event: LedgerEvent): PaymentUpsert | null {
  switch (event.type) {
    case 'DepositCompleted':
    case 'DepositRejected': {
      const d = event.data;
      const completed = event.type === 'DepositCompleted';
      return {
        paymentId: d.depositId,
        kind: 'deposit',
        clientId: 'admin',
        sourceAccountId: null,
        destinationAccountId: d.accountId,
        amountMinor: d.amountMinor,
        currency: d.currency,
        status: completed ? 'completed' : 'rejected',
        failureCode: completed ? null : event.data.failureCode,
        failedLeg: null,
        reference: event.data.reference ?? null,
        metadata: null,
      };
    }
    case 'TransferDebited':
    case 'TransferRejected': {
      const debited = event.type === 'TransferDebited';
      return {
        ...transfer(event.data),
        clientId: event.data.initiatedBy,
        status: debited ? 'processing' : 'rejected',
        failureCode: debited ? null : event.data.failureCode,
        failedLeg: debited ? null : 'debit',
        reference: event.data.reference ?? null,
        metadata: event.data.metadata ?? null,
      };
    }
    case 'TransferCompleted':
    case 'TransferRefunded': {
      const completed = event.type === 'TransferCompleted';
      return {
        ...transfer(event.data),
        clientId: null,
        status: completed ? 'completed' : 'rejected',
        failureCode: completed ? null : event.data.failureCode,
        failedLeg: completed ? null : 'credit',
        reference: null,
        metadata: null,
      };
    }
    default:
      return null;
  }
}

/**
 * Two upserts of one payment as one, so that writing the result does what writing `earlier` then
 * `next` does (the upsert's rules, applied here first because one statement cannot update a row
 * twice): the first event creates the row, so its kind, accounts, amount and currency stay; the
 * client id, reference and metadata are the first known; the status leaves `processing` once, and
 * its failure code and failed leg go with it.
 */
export function mergePaymentUpserts(earlier: PaymentUpsert, next: PaymentUpsert): PaymentUpsert {
  const outcome = earlier.status === 'processing' ? next : earlier;
  return {
    ...earlier,
    clientId: earlier.clientId ?? next.clientId,
    reference: earlier.reference ?? next.reference,
    metadata: earlier.metadata ?? next.metadata,
    status: outcome.status,
    failureCode: outcome.failureCode,
    failedLeg: outcome.failedLeg,
  };
}
