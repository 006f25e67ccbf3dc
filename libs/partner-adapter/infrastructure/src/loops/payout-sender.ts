import { BankTransferRequest } from '@rtp/contracts';
import { DecisionSettings, afterSubmission } from '@rtp/partner-adapter/application';
import { Payout, outcomeLabel } from '@rtp/partner-adapter/domain';
import { continueTrace } from '@rtp/shared/tracing';
import { BankClient } from '../bank/bank-client';
import { ClaimedCall, PayoutStore } from '../store/payout-store';

export interface SenderOptions {
  /** Payouts sent at once (each of another account). */
  concurrency: number;
  settlementIban: string;
  settings: DecisionSettings;
  /** A debug line per call, written in the payout's trace. */
  log?: (level: 'debug', message: string, detail: Record<string, unknown>) => void;
}

/** The transfer request of a payout: the same body for every send under its key. */
export function transferRequestOf(payout: Payout, settlementIban: string): BankTransferRequest {
  return {
    debtorIban: settlementIban,
    creditor: { iban: payout.beneficiary.iban, name: payout.beneficiary.name },
    amountMinor: payout.amountMinor,
    currency: payout.currency,
    endToEndId: payout.endToEndId,
    remittanceInformation: payout.reference,
  };
}

/**
 * The durable queue's sender: takes queued payouts in reservation order (one per account at a
 * time) and sends each under its payment id as the idempotency key. While the create breaker is
 * open nothing is taken: the payouts wait in the queue, in order, and resume when it closes.
 */
export class PayoutSender {
  constructor(
    private readonly store: PayoutStore,
    private readonly bank: BankClient,
    private readonly options: SenderOptions,
  ) {}

  /**
   * One round; true when it sent something. Only as many payouts are claimed as the breaker will
   * let through (one probe while half-open): a claim counts a submission and writes
   * PayoutSubmitted, which a payout the breaker refuses must not have.
   */
  async round(): Promise<boolean> {
    const allowed = Math.min(this.options.concurrency, this.bank.callsAllowed('create'));
    if (allowed === 0) return false;
    const claimed = await this.store.claimForSending(allowed, this.options.settings);
    await Promise.all(claimed.map((call) => this.send(call)));
    return claimed.length > 0;
  }

  /** In the payout's trace: the bank gets its traceparent, the outcome's messages carry it. */
  private send(call: ClaimedCall): Promise<void> {
    return continueTrace('partner.bank.create', call.payout.traceparent, () =>
      this.sendTraced(call),
    );
  }

  private async sendTraced(call: ClaimedCall): Promise<void> {
    const started = Date.now();
    const outcome = await this.bank.createTransfer(
      call.payout.paymentId,
      transferRequestOf(call.payout, this.options.settlementIban),
    );
    const latencyMs = Date.now() - started;
    this.options.log?.('debug', 'payout sent to the bank', {
      paymentId: call.payout.paymentId,
      outcome: outcomeLabel(outcome),
      latencyMs,
    });
    await this.store.applyOutcome(call, outcome, latencyMs, (current) =>
      // Anything that moved it meanwhile (a webhook, the checker after a lease) wins.
      current.state === 'submitting' && current.submissions === call.payout.submissions
        ? afterSubmission(current, outcome, new Date(), this.options.settings)
        : null,
    );
  }
}
