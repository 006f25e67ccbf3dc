import { AccountView, PaymentView } from '@rtp/gateway/application';

export function accountRepresentation(account: AccountView) {
  const posted = BigInt(account.postedMinor);
  const pending = BigInt(account.pendingMinor);
  return {
    id: account.id,
    currency: account.currency,
    status: account.status,
    freeze: account.freeze,
    name: account.name,
    metadata: account.metadata,
    ...(account.failureCode ? { failureCode: account.failureCode } : {}),
    balance: { posted: posted.toString(), pending: pending.toString(), available: (posted - pending).toString() },
    createdAt: account.createdAt.toISOString(),
  };
}

export function paymentRepresentation(payment: PaymentView) {
  return {
    id: payment.id,
    status: payment.status,
    sourceAccountId: payment.sourceAccountId,
    destinationAccountId: payment.destinationAccountId,
    amount: payment.amountMinor,
    currency: payment.currency,
    reference: payment.reference,
    metadata: payment.metadata,
    failureCode: payment.failureCode,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

export function depositRepresentation(payment: PaymentView) {
  return {
    id: payment.id,
    status: payment.status,
    accountId: payment.destinationAccountId,
    amount: payment.amountMinor,
    currency: payment.currency,
    reference: payment.reference,
    failureCode: payment.failureCode,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}
