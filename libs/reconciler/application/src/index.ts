export * from './outgoing/outgoing-message';
export * from './record-events/record-changes';
export * from './review-exception/review-messages';
export * from './run-reconciliation/run-messages';
export * from './run-reconciliation/sides';
