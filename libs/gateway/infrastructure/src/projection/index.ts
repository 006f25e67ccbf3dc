// The projection without the HTTP side: what a tool (the rebuild) needs, free of Nest.
export {
  DeadLetterSink,
  GatewayProjectionWorker,
  OUTCOME_CHANNEL,
} from './gateway-projection.worker';
export { GATEWAY_MIGRATIONS_DIRECTORY } from '../migrations-directory';
