import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * The adapter's metrics. Labels are bounded values only (partner id, call kind, outcome class,
 * state): never an IBAN, a name or a payment id.
 */
export const adapterMetrics = {
  breakerState: new Gauge({
    name: 'partner_breaker_state',
    help: 'Circuit breaker state per partner and call kind: 0 closed, 1 half-open, 2 open',
    labelNames: ['partner', 'call_kind'] as const,
    registers: [register],
  }),
  breakerTransitions: new Counter({
    name: 'partner_breaker_transitions_total',
    help: 'Circuit breaker state changes per partner and call kind, by the state entered',
    labelNames: ['partner', 'call_kind', 'to'] as const,
    registers: [register],
  }),
  callSeconds: new Histogram({
    name: 'partner_call_seconds',
    help: 'Calls to the partner bank by kind (create, status) and outcome class',
    labelNames: ['partner', 'call_kind', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [register],
  }),
  payoutTransitions: new Counter({
    name: 'partner_payouts_total',
    help: 'Payouts entering a state (queued, submitting, pending, booked, rejected, returned, escalated)',
    labelNames: ['partner', 'state'] as const,
    registers: [register],
  }),
  unknownOutcomes: new Counter({
    name: 'partner_unknown_outcomes_total',
    help: 'Create requests whose outcome was lost (timeout, reset, 5xx, breaker timeout): funds held',
    labelNames: ['partner', 'cause'] as const,
    registers: [register],
  }),
  escalations: new Counter({
    name: 'partner_payouts_escalated_total',
    help: 'Payouts still without the bank word past PARTNER_PENDING_DEADLINE_MS, listed for review',
    labelNames: ['partner'] as const,
    registers: [register],
  }),
  webhookVerifications: new Counter({
    name: 'partner_webhook_verifications_total',
    help: 'Bank webhooks by verification result (valid, invalid_signature, invalid_payload, replay)',
    labelNames: ['partner', 'result'] as const,
    registers: [register],
  }),
  unreadableReservations: new Counter({
    name: 'partner_unreadable_reservations_total',
    help: 'PayoutReserved events the adapter could not read (their funds stay held; reconcile them)',
    registers: [register],
  }),
  creditsWaiting: new Counter({
    name: 'partner_credits_waiting_total',
    help: 'Credit webhooks for a virtual IBAN not known yet, answered 503 for redelivery',
    labelNames: ['partner'] as const,
    registers: [register],
  }),
  deadLetters: new Counter({
    name: 'partner_adapter_dead_letters_total',
    help: 'Ledger events the adapter needs but cannot read, sent to partner.adapter.dlq.v1, by cause',
    labelNames: ['cause'] as const,
    registers: [register],
  }),
  deposits: new Counter({
    name: 'partner_deposits_total',
    help: 'Credits booked by the bank for us, by destination (account, suspense)',
    labelNames: ['partner', 'destination'] as const,
    registers: [register],
  }),
};
