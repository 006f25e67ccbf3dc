import { commandIds, payoutEndToEndId } from '@rtp/contracts';
import {
  AccountVisibility,
  BeneficiaryInput,
  Principal,
  Result,
  checkBeneficiary,
  refused,
} from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { OutcomeNotifications } from '../ports/outcome-notifications.port';
import { PaymentAccepter, SubmitResult } from '../submit-payment/accept-payment';
import {
  AccountFactsReader,
  PaymentAcceptance,
  PaymentStore,
} from '../submit-payment/submit-payment.port';

export interface PayoutRequest {
  sourceAccountId: string;
  amountMinor: string;
  currency: string;
  beneficiary: BeneficiaryInput;
  reference: string | null;
}

export interface PayoutSettings {
  /** The partner bank the payouts go through (PARTNER_ID). */
  partnerId: string;
  idempotencyRetentionMs: number;
  /** The largest amount one request may move (PAYMENT_AMOUNT_MINOR_MAX). */
  amountMinorMax: bigint;
}

/**
 * Accepts a payout exactly once per (client, Idempotency-Key), as payments are: the key, the
 * payout and its ReservePayout are stored in one transaction. The ledger holds the funds; the
 * partner adapter sends it to the bank. The answer waits for the ledger's decision only (funds
 * held: `processing`; or refused: `rejected`), never for the bank.
 */
export class SubmitPayoutHandler {
  private readonly accepter: PaymentAccepter;

  constructor(
    store: PaymentStore,
    acceptance: PaymentAcceptance,
    private readonly accounts: AccountFactsReader,
    notifications: OutcomeNotifications,
    private readonly settings: PayoutSettings,
    system: IdsAndClock,
  ) {
    const retentionMs = settings.idempotencyRetentionMs;
    this.accepter = new PaymentAccepter(store, acceptance, notifications, retentionMs, system);
  }

  async execute(
    principal: Principal,
    idempotencyKey: string,
    request: PayoutRequest,
    waitMs: number,
  ): Promise<Result<SubmitResult>> {
    const { amountMinorMax, partnerId } = this.settings;
    if (BigInt(request.amountMinor) > amountMinorMax) {
      return refused({ code: 'amount_too_large', amountMinorMax });
    }
    const checked = checkBeneficiary(request.beneficiary);
    if (!checked.ok) return checked;
    const source = await this.accounts.accountFacts(request.sourceAccountId);
    if (!source || !AccountVisibility.seesAccount(principal, source)) {
      return refused({ code: 'account_not_found', accountId: request.sourceAccountId });
    }
    if (source.currency !== request.currency) {
      return refused({
        code: 'currency_mismatch',
        operation: 'payout',
        currency: request.currency,
        account: { id: source.id, currency: source.currency },
      });
    }
    const { beneficiary } = checked;
    return this.accepter.accept({
      principal,
      idempotencyKey,
      operation: 'payout',
      request,
      waitMs,
      creditConsent: null,
      owners: { sourceClientId: source.clientId, destinationClientId: null },
      plan: (paymentId) => {
        const endToEndId = payoutEndToEndId(paymentId);
        return {
          payment: {
            kind: 'payout',
            sourceAccountId: request.sourceAccountId,
            destinationAccountId: null,
            amountMinor: request.amountMinor,
            currency: request.currency,
            reference: request.reference,
            metadata: null,
          },
          payout: { partnerId, beneficiary, endToEndId },
          commandType: 'ReservePayout',
          commandId: commandIds.reservePayout(paymentId),
          key: request.sourceAccountId,
          data: {
            paymentId,
            accountId: request.sourceAccountId,
            amountMinor: request.amountMinor,
            currency: request.currency,
            partnerId,
            initiatedBy: principal.clientId,
            reference: request.reference,
            beneficiary: { iban: beneficiary.iban, name: beneficiary.name },
            endToEndId,
          },
        };
      },
    });
  }
}
