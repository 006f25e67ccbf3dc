import { AccountView, Balance, PaymentRecord } from '@rtp/gateway/application';
import { ADMIN_CLIENT_ID, Principal, isAdmin } from '@rtp/gateway/domain';

/** Shown instead of the ledger's code to a reader who may not see the account that refused. */
export const HIDDEN_FAILURE_CODES = {
  credit: 'destination_unavailable',
  debit: 'source_unavailable',
} as const;

function balanceFigures(postedMinor: string, pendingMinor: string) {
  const posted = BigInt(postedMinor);
  const pending = BigInt(pendingMinor);
  return {
    posted: posted.toString(),
    pending: pending.toString(),
    available: (posted - pending).toString(),
  };
}

export function accountRepresentation(account: AccountView) {
  return {
    id: account.id,
    currency: account.currency,
    status: account.status,
    freeze: account.freeze,
    acceptsCreditsFromOtherClients: account.acceptsCreditsFromOtherClients,
    name: account.name,
    metadata: account.metadata,
    ...(account.failureCode ? { failureCode: account.failureCode } : {}),
    virtualIban: account.virtualIban ?? null,
    balance: balanceFigures(account.postedMinor, account.pendingMinor),
    createdAt: account.createdAt.toISOString(),
  };
}

/** The balance now, or as of the instant asked for (then named in `asOf`). */
export function balanceRepresentation(balance: Balance) {
  return {
    accountId: balance.accountId,
    currency: balance.currency,
    ...(balance.asOf === null ? {} : { asOf: balance.asOf.toISOString() }),
    ...balanceFigures(balance.postedMinor, balance.pendingMinor),
  };
}

/**
 * Why a payment was refused, as this reader may learn it: the refusing leg's account state (frozen,
 * closed, its currency) is told only to that account's owner and the admin. The payer into another
 * client's account reads `destination_unavailable`; that account's owner, `source_unavailable`.
 */
function failureCodeFor(payment: PaymentRecord, reader: Principal): string | null {
  if (payment.failedLeg === null || isAdmin(reader)) return payment.failureCode;
  const owner =
    payment.failedLeg === 'credit' ? payment.destinationClientId : payment.sourceClientId;
  return owner === reader.clientId ? payment.failureCode : HIDDEN_FAILURE_CODES[payment.failedLeg];
}

/** Who asked for the payment, without naming another client: the admin, or the source's owner. */
function initiatorOf(payment: PaymentRecord): 'admin' | 'account_owner' {
  return payment.clientId === ADMIN_CLIENT_ID ? 'admin' : 'account_owner';
}

export function paymentRepresentation(payment: PaymentRecord, reader: Principal) {
  return {
    id: payment.id,
    status: payment.status,
    sourceAccountId: payment.sourceAccountId,
    destinationAccountId: payment.destinationAccountId,
    amount: payment.amountMinor,
    currency: payment.currency,
    reference: payment.reference,
    metadata: payment.metadata,
    failureCode: failureCodeFor(payment, reader),
    initiatedBy: initiatorOf(payment),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

export function depositRepresentation(payment: PaymentRecord) {
  return {
    id: payment.id,
    status: payment.status,
    accountId: payment.destinationAccountId,
    amount: payment.amountMinor,
    currency: payment.currency,
    reference: payment.reference,
    failureCode: payment.failureCode,
    initiatedBy: initiatorOf(payment),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

/**
 * A payout: its source account, whom it pays, the bank's reference once known, why it failed or
 * came back, and every status it reached with its time.
 */
export function payoutRepresentation(payment: PaymentRecord) {
  const payout = payment.payout ?? null;
  return {
    id: payment.id,
    kind: 'payout' as const,
    status: payment.status,
    sourceAccountId: payment.sourceAccountId,
    amount: payment.amountMinor,
    currency: payment.currency,
    reference: payment.reference,
    beneficiary: payout?.beneficiary ?? null,
    endToEndId: payout?.endToEndId ?? null,
    bankReference: payout?.bankReference ?? null,
    failureCode: payment.failureCode,
    escalated: payout?.escalated ?? false,
    statusHistory: (payout?.history ?? []).map((entry) => ({
      status: entry.status,
      failureCode: entry.failureCode,
      at: entry.at.toISOString(),
    })),
    initiatedBy: initiatorOf(payment),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

/** A payment as its kind is represented: a deposit names one account, a transfer two. */
export function paymentOrDepositRepresentation(payment: PaymentRecord, reader: Principal) {
  if (payment.kind === 'payout') return payoutRepresentation(payment);
  return payment.kind === 'deposit'
    ? depositRepresentation(payment)
    : paymentRepresentation(payment, reader);
}
