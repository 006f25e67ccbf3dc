import { LedgerCommandType } from '@rtp/contracts';
import {
  ADMIN_CLIENT_ID,
  Principal,
  Result,
  refused,
  requestFingerprint,
  succeeded,
} from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { OutcomeNotifications, OutcomeWatch } from '../ports/outcome-notifications.port';
import { ledgerCommand } from '../ports/outgoing-command';
import { PaymentRecord, PaymentView, PayoutDetails } from '../ports/views';
import { ACCEPT_TIMED_OUT, withinAcceptDeadline } from './accept-deadline';
import {
  AcceptResult,
  PaymentAcceptRequest,
  PaymentAcceptance,
  PaymentStore,
} from './submit-payment.port';

export interface SubmitResult {
  payment: PaymentRecord;
  replayed: boolean;
}

/** The payment a request stores and the ledger command that carries it out. */
export interface PaymentPlan {
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
  /** A payout's details, stored with it in the accepting transaction. */
  payout?: PayoutInput;
  commandType: LedgerCommandType;
  commandId: string;
  /** The account the command is keyed (and so ordered) by. */
  key: string;
  data: Record<string, unknown>;
}

export type PayoutInput = Pick<PayoutDetails, 'partnerId' | 'beneficiary' | 'endToEndId'>;

/**
 * Whether a request waits no longer for this payment: a transfer or deposit once it left
 * `processing`; a payout once the ledger decided (held its funds, still `processing`, or refused).
 */
export function isDecided(payment: PaymentRecord): boolean {
  return payment.status !== 'processing' || payment.payout?.decided === true;
}

/** One money-moving request, checked, to be accepted exactly once per (client, key). */
export interface Submission {
  principal: Principal;
  idempotencyKey: string;
  operation: 'transfer' | 'deposit' | 'payout';
  /** The request as the client sent it: its fingerprint tells a replay from a reused key. */
  request: object;
  waitMs: number;
  creditConsent: PaymentAcceptRequest['creditConsent'];
  /** The accounts' owners, as the checks before accepting found them (they never change). */
  owners: Pick<PaymentRecord, 'sourceClientId' | 'destinationClientId'>;
  plan: (paymentId: string) => PaymentPlan;
}

/**
 * Accepts a checked payment: claims its key, stores it and queues its command in one transaction,
 * then waits for its outcome; a key bound before answers the payment it was bound to, as a replay.
 */
export class PaymentAccepter {
  constructor(
    private readonly store: PaymentStore,
    private readonly acceptance: PaymentAcceptance,
    private readonly notifications: OutcomeNotifications,
    private readonly idempotencyRetentionMs: number,
    private readonly system: IdsAndClock,
  ) {}

  async accept(submission: Submission): Promise<Result<SubmitResult>> {
    const paymentId = this.system.newId();
    const now = this.system.now();
    const deadline = now.getTime() + submission.waitMs;
    const request = this.acceptRequest(submission, paymentId, now);
    // Watched before accepting, so an outcome told between the commit and the wait still counts.
    const watch = this.notifications.watch(paymentId);
    let claim: AcceptResult | typeof ACCEPT_TIMED_OUT;
    try {
      // Bounded: a database that does not answer in time is refused as not accepted (safe to
      // retry with the same key). Publication is bounded inside the accept step, never by the broker.
      claim = await withinAcceptDeadline(submission.waitMs, this.acceptance.acceptPayment(request));
      if (claim !== ACCEPT_TIMED_OUT && claim.claimed) {
        // Just stored as processing and watched since before: only a wake or the end of the
        // wait is a reason to read it. A payout is read back (its details and history).
        const accepted: PaymentRecord | null = request.payout
          ? null
          : { ...request.payment, ...submission.owners, failedLeg: null };
        const payment = await this.outcome(watch, paymentId, deadline, false, accepted);
        return succeeded({ payment, replayed: false });
      }
    } finally {
      watch.close();
    }
    if (claim === ACCEPT_TIMED_OUT || 'unavailable' in claim)
      return refused({ code: 'not_accepted' });
    if (claim.inFlight) return refused({ code: 'idempotency_key_in_flight' });
    if ('creditRefused' in claim) {
      // Only a transfer asks for the destination's consent: it names its destination.
      const accountId = request.payment.destinationAccountId ?? '';
      return refused({ code: 'destination_account_not_found', accountId });
    }
    if (claim.fingerprint !== request.claim.fingerprint) {
      return refused({ code: 'idempotency_key_reused' });
    }
    return succeeded({ payment: await this.replay(claim.resourceId, deadline), replayed: true });
  }

  private acceptRequest(
    submission: Submission,
    paymentId: string,
    now: Date,
  ): PaymentAcceptRequest {
    const { principal, operation } = submission;
    const plan = submission.plan(paymentId);
    const clientId = plan.payment.kind === 'deposit' ? ADMIN_CLIENT_ID : principal.clientId;
    return {
      claim: {
        clientId: principal.clientId,
        idempotencyKey: submission.idempotencyKey,
        operation,
        fingerprint: requestFingerprint(operation, submission.request),
        expiresAt: new Date(now.getTime() + this.idempotencyRetentionMs),
      },
      payment: {
        id: paymentId,
        clientId,
        status: 'processing',
        failureCode: null,
        createdAt: now,
        updatedAt: now,
        ...plan.payment,
      },
      command: ledgerCommand({
        id: plan.commandId,
        type: plan.commandType,
        accountId: plan.key,
        correlationId: paymentId,
        time: now,
        data: plan.data,
      }),
      creditConsent: submission.creditConsent,
      payout: plan.payout ?? null,
    };
  }

  /** A replay: the original may have settled long ago, so its wait looks first. */
  private async replay(paymentId: string, deadline: number): Promise<PaymentRecord> {
    const watch = this.notifications.watch(paymentId);
    try {
      return await this.outcome(watch, paymentId, deadline, true);
    } finally {
      watch.close();
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
      return latest !== null && isDecided(latest);
    };
    await watch.wait(deadline - Date.now(), settled, { lookFirst });
    const current = latest ?? (await this.store.findPayment(paymentId));
    if (!current) throw new Error(`accepted payment ${paymentId} has no read model row`);
    return current;
  }
}
