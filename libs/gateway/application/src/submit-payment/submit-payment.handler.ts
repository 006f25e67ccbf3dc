import { IdsAndClock } from '../ports/ids-and-clock.port';
import { LedgerCommandType, commandIds } from '@rtp/contracts';
import {
  ADMIN_CLIENT_ID,
  GatewayProblemError,
  Principal,
  isAdmin,
  ownedBy,
  problems,
  requestFingerprint,
} from '@rtp/gateway/domain';
import {
  GatewayStore,
  OutcomeNotifications,
  OutcomeWatch,
  PaymentRecord,
  PaymentView,
} from '../ports/gateway-store.port';
import {
  AcceptResult,
  AccountFacts,
  AccountFactsReader,
  PaymentAcceptRequest,
  PaymentAcceptance,
} from '../ports/payment-acceptance.port';
import { ledgerCommand } from '../ports/outgoing-command';
import { withinAcceptDeadline } from './accept-deadline';

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

export interface SubmitResult {
  payment: PaymentRecord;
  replayed: boolean;
}

/** The partner whose settlement account funds admin deposits until real partners exist. */
export const SANDBOX_PARTNER_ID = 'sandbox';

/**
 * Accepts a money movement exactly once per (client, Idempotency-Key): the key, the payment and
 * its ledger command are stored in one transaction, so a retry after any crash re-sends the same
 * command.
 */
export class SubmitPaymentHandler {
  constructor(
    private readonly store: Pick<GatewayStore, 'findPayment'>,
    private readonly acceptance: PaymentAcceptance,
    private readonly accounts: AccountFactsReader,
    private readonly notifications: OutcomeNotifications,
    private readonly idempotencyRetentionMs: number,
    /** The largest amount one request may move (PAYMENT_AMOUNT_MINOR_MAX). */
    private readonly amountMinorMax: bigint,
    private readonly system: IdsAndClock,
  ) {}

  async transfer(
    principal: Principal,
    key: string,
    request: TransferRequest,
    waitMs: number,
  ): Promise<SubmitResult> {
    this.assertWithinMaximum(request.amountMinor);
    const source = await this.accounts.accountFacts(request.sourceAccountId);
    if (!source || !ownedBy(principal, source)) {
      throw new GatewayProblemError(problems.accountNotFound(request.sourceAccountId));
    }
    const destination = await this.creditableDestination(principal, request.destinationAccountId);
    for (const account of [source, destination]) {
      if (account.currency === request.currency) continue;
      // The currency of an account the caller does not own is not the caller's to learn.
      throw new GatewayProblemError(
        problems.currencyMismatch(
          ownedBy(principal, account)
            ? `The payment is in ${request.currency} but account ${account.id} holds ` +
                `${account.currency}.`
            : `The payment is in ${request.currency}, which the destination account does not hold.`,
        ),
      );
    }
    // Credits to another client's account hold only while its owner consents, at commit time.
    const creditConsent = ownedBy(principal, destination)
      ? null
      : { accountId: destination.id, ownerClientId: destination.clientId };
    const owners = { sourceClientId: source.clientId, destinationClientId: destination.clientId };
    return this.accept(
      principal,
      key,
      'transfer',
      request,
      waitMs,
      creditConsent,
      owners,
      (paymentId) => ({
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
    );
  }

  async deposit(
    principal: Principal,
    key: string,
    request: DepositRequest,
    waitMs: number,
  ): Promise<SubmitResult> {
    this.assertWithinMaximum(request.amountMinor);
    const account = await this.accounts.accountFacts(request.accountId);
    if (!account || account.status === 'opening' || account.status === 'rejected') {
      throw new GatewayProblemError(problems.accountNotFound(request.accountId));
    }
    if (account.currency !== request.currency) {
      throw new GatewayProblemError(
        problems.currencyMismatch(
          `The deposit is in ${request.currency} but account ${account.id} holds ` +
            `${account.currency}.`,
        ),
      );
    }
    const owners = { sourceClientId: null, destinationClientId: account.clientId };
    return this.accept(principal, key, 'deposit', request, waitMs, null, owners, (paymentId) => ({
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
    }));
  }

  private assertWithinMaximum(amountMinor: string): void {
    if (BigInt(amountMinor) > this.amountMinorMax) {
      throw new GatewayProblemError(problems.amountTooLarge(this.amountMinorMax));
    }
  }

  /**
   * The destination, when the caller may credit it: its own account (any account for the admin), or
   * another client's whose owner accepts credits from other clients. Anything else answers exactly
   * as an account that does not exist, so a payment reveals nothing about other clients' accounts.
   */
  private async creditableDestination(
    principal: Principal,
    accountId: string,
  ): Promise<AccountFacts> {
    const account = await this.accounts.accountFacts(accountId);
    if (
      !account ||
      account.status === 'opening' ||
      account.status === 'rejected' ||
      !(ownedBy(principal, account) || account.acceptsCreditsFromOtherClients)
    ) {
      throw new GatewayProblemError(problems.destinationNotFound(accountId));
    }
    return account;
  }

  private async accept(
    principal: Principal,
    idempotencyKey: string,
    operation: string,
    request: object,
    waitMs: number,
    creditConsent: PaymentAcceptRequest['creditConsent'],
    /** The accounts' owners, as the checks before accepting found them (they never change). */
    owners: Pick<PaymentRecord, 'sourceClientId' | 'destinationClientId'>,
    build: (paymentId: string) => {
      payment: Pick<
        PaymentView,
        | 'kind'
        | 'sourceAccountId'
        | 'destinationAccountId'
        | 'amountMinor'
        | 'currency'
        | 'reference'
        | 'metadata'
      >;
      commandType: LedgerCommandType;
      commandId: string;
      key: string;
      data: Record<string, unknown>;
    },
  ): Promise<SubmitResult> {
    const paymentId = this.system.newId();
    const now = this.system.now();
    const deadline = now.getTime() + waitMs;
    const fingerprint = requestFingerprint(operation, request);
    const plan = build(paymentId);
    const clientId = plan.payment.kind === 'deposit' ? ADMIN_CLIENT_ID : principal.clientId;
    const payment: PaymentView = {
      id: paymentId,
      clientId,
      status: 'processing',
      failureCode: null,
      createdAt: now,
      updatedAt: now,
      ...plan.payment,
    };
    // Watched before accepting, so an outcome told between the commit and the wait still counts.
    const watch = this.notifications.watch(paymentId);
    let claim: AcceptResult;
    try {
      // Bounded: a database that does not answer in time is a 503 (safe to retry with the same
      // key). Publication is bounded inside the accept step, never by the broker.
      claim = await withinAcceptDeadline(
        waitMs,
        this.acceptance.acceptPayment({
          claim: {
            clientId: principal.clientId,
            idempotencyKey,
            operation,
            fingerprint,
            expiresAt: new Date(now.getTime() + this.idempotencyRetentionMs),
          },
          payment,
          command: ledgerCommand({
            id: plan.commandId,
            type: plan.commandType,
            accountId: plan.key,
            correlationId: paymentId,
            time: now,
            data: plan.data,
          }),
          creditConsent,
        }),
      );
      if (claim.claimed) {
        // Just stored as processing and watched since before: only a wake or the end of the
        // wait is a reason to read it.
        const accepted: PaymentRecord = { ...payment, ...owners, failedLeg: null };
        return {
          payment: await this.outcome(watch, paymentId, deadline, false, accepted),
          replayed: false,
        };
      }
    } finally {
      watch.close();
    }
    if (claim.inFlight) throw new GatewayProblemError(problems.idempotencyKeyInFlight());
    if ('creditRefused' in claim) {
      throw new GatewayProblemError(
        problems.destinationNotFound(plan.payment.destinationAccountId),
      );
    }
    if (claim.fingerprint !== fingerprint) {
      throw new GatewayProblemError(problems.idempotencyKeyReused());
    }
    // A replay: the original may have settled long ago, so its wait looks first.
    const replayWatch = this.notifications.watch(claim.resourceId);
    try {
      return {
        payment: await this.outcome(replayWatch, claim.resourceId, deadline, true),
        replayed: true,
      };
    } finally {
      replayWatch.close();
    }
  }

  /**
   * The payment once settled, or as it stands when the wait is over. `accepted` is the payment this
   * request just stored: when the notification that woke the wait told its outcome, that outcome
   * on the stored payment is the answer, exactly what reading the row would return, without the
   * read (the projection sends it from the statement that wrote the row, at its commit).
   */
  private async outcome(
    watch: OutcomeWatch,
    paymentId: string,
    deadline: number,
    lookFirst: boolean,
    accepted: PaymentRecord | null = null,
  ): Promise<PaymentRecord> {
    // The wait ends right after a look at the read model (settled, or the wait is over), so that
    // look is the answer; only a wait that never looked needs one more read.
    let latest: PaymentRecord | null = null;
    const settled = async () => {
      const told = accepted ? watch.told() : null;
      if (accepted && told) {
        latest = { ...accepted, ...told };
        return true;
      }
      latest = await this.store.findPayment(paymentId);
      return latest?.status !== 'processing';
    };
    await watch.wait(deadline - Date.now(), settled, { lookFirst });
    const current = latest ?? (await this.store.findPayment(paymentId));
    if (!current) throw new Error(`accepted payment ${paymentId} has no read model row`);
    return current;
  }
}
