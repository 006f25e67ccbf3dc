import { commandIds } from '@rtp/contracts';
import { AccountVisibility, Principal, Result, refused } from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { OutcomeNotifications } from '../ports/outcome-notifications.port';
import { PaymentAccepter, SubmitResult } from './accept-payment';
import {
  AccountFacts,
  AccountFactsReader,
  PaymentAcceptance,
  PaymentStore,
} from './submit-payment.port';

export type { SubmitResult } from './accept-payment';

export interface TransferRequest {
  sourceAccountId: string;
  destinationAccountId: string;
  amountMinor: string;
  currency: string;
  reference: string | null;
  metadata: Record<string, string> | null;
}

export interface DepositRequest {
  accountId: string;
  amountMinor: string;
  currency: string;
  reference: string;
}

/** The partner whose settlement account funds admin deposits until real partners exist. */
export const SANDBOX_PARTNER_ID = 'sandbox';

/**
 * Accepts a money movement exactly once per (client, Idempotency-Key): the key, the payment and
 * its ledger command are stored in one transaction, so a retry after any crash re-sends the same
 * command. What the caller may not see or pay into is refused before anything is stored.
 */
export class SubmitPaymentHandler {
  private readonly accepter: PaymentAccepter;

  constructor(
    store: PaymentStore,
    acceptance: PaymentAcceptance,
    private readonly accounts: AccountFactsReader,
    notifications: OutcomeNotifications,
    idempotencyRetentionMs: number,
    /** The largest amount one request may move (PAYMENT_AMOUNT_MINOR_MAX). */
    private readonly amountMinorMax: bigint,
    system: IdsAndClock,
  ) {
    this.accepter = new PaymentAccepter(
      store,
      acceptance,
      notifications,
      idempotencyRetentionMs,
      system,
    );
  }

  async transfer(
    principal: Principal,
    idempotencyKey: string,
    request: TransferRequest,
    waitMs: number,
  ): Promise<Result<SubmitResult>> {
    if (BigInt(request.amountMinor) > this.amountMinorMax) return this.tooLarge();
    const source = await this.accounts.accountFacts(request.sourceAccountId);
    if (!source || !AccountVisibility.seesAccount(principal, source)) {
      return refused({ code: 'account_not_found', accountId: request.sourceAccountId });
    }
    const destination = await this.accounts.accountFacts(request.destinationAccountId);
    if (!destination || !AccountVisibility.mayCredit(principal, destination)) {
      return refused({
        code: 'destination_account_not_found',
        accountId: request.destinationAccountId,
      });
    }
    const mismatch = [source, destination].find((account) => account.currency !== request.currency);
    if (mismatch) return this.currencyMismatch(principal, 'payment', request.currency, mismatch);
    // Credits to another client's account hold only while its owner consents, at commit time.
    const creditConsent = AccountVisibility.seesAccount(principal, destination)
      ? null
      : { accountId: destination.id, ownerClientId: destination.clientId };
    return this.accepter.accept({
      principal,
      idempotencyKey,
      operation: 'transfer',
      request,
      waitMs,
      creditConsent,
      owners: { sourceClientId: source.clientId, destinationClientId: destination.clientId },
      plan: (paymentId) => ({
        payment: {
          kind: 'transfer',
          sourceAccountId: request.sourceAccountId,
          destinationAccountId: request.destinationAccountId,
          amountMinor: request.amountMinor,
          currency: request.currency,
          reference: request.reference,
          metadata: request.metadata,
        },
        commandType: 'TransferFunds',
        commandId: commandIds.transferFunds(paymentId),
        key: request.sourceAccountId,
        data: { paymentId, ...request, initiatedBy: principal.clientId },
      }),
    });
  }

  async deposit(
    principal: Principal,
    idempotencyKey: string,
    request: DepositRequest,
    waitMs: number,
  ): Promise<Result<SubmitResult>> {
    if (BigInt(request.amountMinor) > this.amountMinorMax) return this.tooLarge();
    const account = await this.accounts.accountFacts(request.accountId);
    if (!account || !AccountVisibility.isOpen(account)) {
      return refused({ code: 'account_not_found', accountId: request.accountId });
    }
    if (account.currency !== request.currency) {
      return this.currencyMismatch(principal, 'deposit', request.currency, account);
    }
    return this.accepter.accept({
      principal,
      idempotencyKey,
      operation: 'deposit',
      request,
      waitMs,
      creditConsent: null,
      owners: { sourceClientId: null, destinationClientId: account.clientId },
      plan: (paymentId) => ({
        payment: {
          kind: 'deposit',
          sourceAccountId: null,
          destinationAccountId: request.accountId,
          amountMinor: request.amountMinor,
          currency: request.currency,
          reference: request.reference,
          metadata: null,
        },
        commandType: 'Deposit',
        commandId: commandIds.deposit(paymentId),
        key: request.accountId,
        data: { depositId: paymentId, ...request, partnerId: SANDBOX_PARTNER_ID },
      }),
    });
  }

  private tooLarge() {
    return refused({ code: 'amount_too_large', amountMinorMax: this.amountMinorMax });
  }

  /** The currency of an account the caller does not see is not the caller's to learn. */
  private currencyMismatch(
    principal: Principal,
    operation: 'payment' | 'deposit',
    currency: string,
    account: AccountFacts,
  ) {
    const visible = AccountVisibility.seesAccount(principal, account);
    return refused({
      code: 'currency_mismatch',
      operation,
      currency,
      account: visible ? { id: account.id, currency: account.currency } : null,
    });
  }
}
