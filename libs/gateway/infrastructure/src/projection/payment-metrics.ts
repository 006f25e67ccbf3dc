import { Counter, Histogram } from 'prom-client';
import { PaymentRecord } from '@rtp/gateway/application';

/** The statuses a payment ends in (a completed payout may later be returned: counted again). */
const TERMINAL = new Set(['completed', 'rejected', 'failed', 'returned']);

const paymentsTotal = new Counter({
  name: 'payments_total',
  help: 'Payments that reached a terminal status, by kind, outcome and failure code (none)',
  labelNames: ['kind', 'outcome', 'code'] as const,
});

const acceptToTerminalSeconds = new Histogram({
  name: 'payment_accept_to_terminal_seconds',
  help: 'Time from a payment being accepted to the projection recording its terminal status',
  labelNames: ['kind', 'outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
});

/** A terminal status the projection recorded for the first time (its payments.events.v1 message). */
export interface TerminalPayment {
  kind: PaymentRecord['kind'];
  outcome: string;
  code: string | null;
  createdAt: Date;
}

export function isTerminalStatus(status: string): boolean {
  return TERMINAL.has(status);
}

/**
 * Counts the terminal statuses a committed projection transaction recorded: each is recorded once
 * per payment and status (its payment event's key), so a redelivery or a replay counts nothing.
 */
export function observeTerminalPayments(payments: readonly TerminalPayment[], at: Date): void {
  for (const payment of payments) {
    paymentsTotal.inc({
      kind: payment.kind,
      outcome: payment.outcome,
      code: payment.code ?? 'none',
    });
    acceptToTerminalSeconds.observe(
      { kind: payment.kind, outcome: payment.outcome },
      Math.max(0, (at.getTime() - payment.createdAt.getTime()) / 1_000),
    );
  }
}
