import { randomUUID } from 'node:crypto';
import { LedgerCommandType, commandIds } from '@rtp/contracts';
import {
  ADMIN_CLIENT_ID,
  GatewayProblemError,
  Principal,
  isAdmin,
  problems,
  requestFingerprint,
} from '@rtp/gateway/domain';
import {
  AccountView,
  CommandRelay,
  GatewayStore,
  OutcomeNotifications,
  PaymentRecord,
  PaymentView,
} from '../ports/gateway-store.port';
import { ledgerCommand } from '../ports/outgoing-command';

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

/** The admin may see and move any account; a client only its own. */
function ownedBy(principal: Principal, account: AccountView): boolean {
  return account.clientId === principal.clientId || isAdmin(principal);
}

/**
 * Accepts a money movement exactly once per (client, Idempotency-Key): the key, the payment and its
 * ledger command are stored in one transaction, so a retry after any crash re-sends the same command.
 */
export class SubmitPaymentHandler {
  constructor(
    private readonly store: GatewayStore,
    private readonly relay: CommandRelay,
    private readonly notifications: OutcomeNotifications,
    private readonly idempotencyRetentionMs: number,
    /** The largest amount one request may move (PAYMENT_AMOUNT_MINOR_MAX). */
    private readonly amountMinorMax: bigint,
  ) {}

  async transfer(principal: Principal, key: string, request: TransferRequest, waitMs: number): Promise<SubmitResult> {
    this.assertWithinMaximum(request.amountMinor);
    const source = await this.store.findAccount(request.sourceAccountId);
    if (!source || (source.clientId !== principal.clientId && !isAdmin(principal))) {
      throw new GatewayProblemError(problems.accountNotFound(request.sourceAccountId));
    }
    const destination = await this.creditableDestination(principal, request.destinationAccountId);
    for (const account of [source, destination]) {
      if (account.currency === request.currency) continue;
      // The currency of an account the caller does not own is not the caller's to learn.
      throw new GatewayProblemError(problems.currencyMismatch(ownedBy(principal, account)
        ? `The payment is in ${request.currency} but account ${account.id} holds ` +
          `${account.currency}.`
        : `The payment is in ${request.currency}, which the destination account does not hold.`));
    }
    return this.accept(principal, key, 'transfer', request, waitMs, (paymentId) => ({
      payment: {
        kind: 'transfer', sourceAccountId: request.sourceAccountId,
        destinationAccountId: request.destinationAccountId, amountMinor: request.amountMinor,
        currency: request.currency, reference: request.reference, metadata: request.metadata,
      },
      commandType: 'TransferFunds',
      commandId: commandIds.transferFunds(paymentId),
      key: request.sourceAccountId,
      data: { paymentId, ...request, initiatedBy: principal.clientId },
    }));
  }

  async deposit(principal: Principal, key: string, request: DepositRequest, waitMs: number): Promise<SubmitResult> {
    this.assertWithinMaximum(request.amountMinor);
    const account = await this.store.findAccount(request.accountId);
    if (!account || account.status === 'opening' || account.status === 'rejected') {
      throw new GatewayProblemError(problems.accountNotFound(request.accountId));
    }
    if (account.currency !== request.currency) {
      throw new GatewayProblemError(problems.currencyMismatch(
        `The deposit is in ${request.currency} but account ${account.id} holds ${account.currency}.`));
    }
    return this.accept(principal, key, 'deposit', request, waitMs, (paymentId) => ({
      payment: {
        kind: 'deposit', sourceAccountId: null, destinationAccountId: request.accountId,
        amountMinor: request.amountMinor, currency: request.currency, reference: request.reference,
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
  private async creditableDestination(principal: Principal, accountId: string):
    Promise<AccountView> {
    const account = await this.store.findAccount(accountId);
    if (!account || account.status === 'opening' || account.status === 'rejected' ||
      !(ownedBy(principal, account) || account.acceptsCreditsFromOtherClients)) {
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
    build: (paymentId: string) => {
      payment: Pick<PaymentView, 'kind' | 'sourceAccountId' | 'destinationAccountId' | 'amountMinor' |
        'currency' | 'reference' | 'metadata'>;
      commandType: LedgerCommandType;
      commandId: string;
      key: string;
      data: Record<string, unknown>;
    },
  ): Promise<SubmitResult> {
    const paymentId = randomUUID();
    const now = new Date();
    const deadline = now.getTime() + waitMs;
    const fingerprint = requestFingerprint(operation, request);
    const plan = build(paymentId);
    const clientId = plan.payment.kind === 'deposit' ? ADMIN_CLIENT_ID : principal.clientId;
    const payment: PaymentView = {
      id: paymentId, clientId, status: 'processing', failureCode: null, createdAt: now, updatedAt: now,
      ...plan.payment,
    };
    // Bounded: a database that does not answer in time is a 503 (safe to retry with the same key).
    const claim = await withinAcceptDeadline(waitMs, this.store.acceptPayment(
      { clientId: principal.clientId, idempotencyKey, operation, fingerprint,
        expiresAt: new Date(now.getTime() + this.idempotencyRetentionMs) },
      payment,
      ledgerCommand({ id: plan.commandId, type: plan.commandType, accountId: plan.key, correlationId: paymentId,
        time: now, data: plan.data }),
    ));
    if (!claim.claimed && claim.inFlight) throw new GatewayProblemError(problems.idempotencyKeyInFlight());
    if (!claim.claimed && claim.fingerprint !== fingerprint) {
      throw new GatewayProblemError(problems.idempotencyKeyReused());
    }
    const acceptedId = claim.claimed ? paymentId : claim.resourceId;
    // The command is durable in the outbox: publishing is bounded by the relay, never by the broker.
    if (claim.claimed) await this.relay.flush();
    const settled = async () => (await this.store.findPayment(acceptedId))?.status !== 'processing';
    await this.notifications.waitForChange(acceptedId, deadline - Date.now(), settled);
    const current = await this.store.findPayment(acceptedId);
    if (!current) throw new Error(`accepted payment ${acceptedId} has no read model row`);
    return { payment: current, replayed: !claim.claimed };
  }
}

/** The accept step gets the request's wait, but at least ACCEPT_TIMEOUT_MS_MIN. */
export const ACCEPT_TIMEOUT_MS_MIN = 2_000;

async function withinAcceptDeadline<T>(waitMs: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GatewayProblemError(problems.notAccepted())),
      Math.max(waitMs, ACCEPT_TIMEOUT_MS_MIN));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
