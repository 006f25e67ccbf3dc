import { DecisionSettings, afterStatusQuery } from '@rtp/partner-adapter/application';
import { outcomeLabel } from '@rtp/partner-adapter/domain';
import { continueTrace } from '@rtp/shared/tracing';
import { BankClient } from '../bank/bank-client';
import { ClaimedCall, PayoutStore } from '../store/payout-store';

export interface CheckerOptions {
  batchSize: number;
  /** How long a claimed check may run before another round may take the payout again. */
  leaseMs: number;
  settings: DecisionSettings;
  /** A debug line per status query, written in the payout's trace. */
  log?: (level: 'debug', message: string, detail: Record<string, unknown>) => void;
}

const FINAL = new Set(['rejected', 'returned']);

/**
 * Asks the bank about payouts whose answer is awaited by our reference: those sent with an unknown
 * outcome, accepted ones not final yet, submissions whose lease ran out (a crash during the call),
 * escalated ones (the bank's word still decides) and booked ones still watched for a return.
 */
export class PayoutChecker {
  constructor(
    private readonly store: PayoutStore,
    private readonly bank: BankClient,
    private readonly options: CheckerOptions,
  ) {}

  async round(): Promise<boolean> {
    // Queued payouts past the deadline are escalated whatever the breakers do (they are why).
    const escalated = await this.store.escalateOverdueQueued(this.options.batchSize);
    if (this.bank.isOpen('status')) return escalated > 0;
    const claimed = await this.store.claimForChecking(this.options.batchSize, this.options.leaseMs);
    await Promise.all(claimed.map((call) => this.check(call)));
    return claimed.length > 0;
  }

  private check(call: ClaimedCall): Promise<void> {
    return continueTrace('partner.bank.status', call.payout.traceparent, () =>
      this.checkTraced(call),
    );
  }

  private async checkTraced(call: ClaimedCall): Promise<void> {
    const started = Date.now();
    const outcome = await this.bank.findTransfers(call.payout.endToEndId);
    const latencyMs = Date.now() - started;
    this.options.log?.('debug', 'payout status asked of the bank', {
      paymentId: call.payout.paymentId,
      outcome: outcomeLabel(outcome),
      latencyMs,
    });
    await this.store.applyOutcome(call, outcome, latencyMs, (current) => {
      if (FINAL.has(current.state) || current.state === 'queued') return null;
      const change = afterStatusQuery(current, outcome, new Date(), this.options.settings);
      return change.resend ? { ...change, nextSendAt: new Date() } : change;
    });
  }
}
