import { Counter, register } from 'prom-client';

/** The sandbox bank's own metrics, beside the process metrics on /metrics. */
export const bankMetrics = {
  transfers: new Counter({
    name: 'sandbox_bank_transfers_total',
    help: 'Transfer status changes, by the status reached (accepted, booked, rejected, returned)',
    labelNames: ['status'],
    registers: [register],
  }),
  faults: new Counter({
    name: 'sandbox_bank_faults_injected_total',
    help: 'Faults injected, by kind (latency, error, hang, drop_after_apply, reject, webhook_*, statement_*)',
    labelNames: ['kind'],
    registers: [register],
  }),
  webhookDeliveries: new Counter({
    name: 'sandbox_bank_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by outcome (delivered, failed, abandoned, duplicate)',
    labelNames: ['outcome'],
    registers: [register],
  }),
};
