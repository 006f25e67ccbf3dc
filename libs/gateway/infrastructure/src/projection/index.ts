// The projection without the HTTP side: what a tool (the rebuild) needs, free of Nest.
export {
  DeadLetterSink,
  GatewayProjectionWorker,
  OUTCOME_CHANNEL,
} from './gateway-projection.worker';
export { GATEWAY_MIGRATIONS_DIRECTORY } from '../migrations-directory';
// payments.events.v1 as the projection writes it: the AsyncAPI tool builds its examples with it.
export { paymentEventMessages } from './payment-event-messages';
export { mergeStatusesReached, statusesReachedOf } from './payment-events';
export { ReconciliationProjectionWorker } from '../reconciliation/reconciliation-projection.worker';
