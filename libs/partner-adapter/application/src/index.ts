export * from './decision-settings';
export * from './submit-payout/begin-submission';
export * from './submit-payout/after-submission';
export * from './check-payout/after-status-query';
export * from './receive-credit/credit-decision';
export * from './outgoing/outgoing-message';
export * from './receive-credit/credit-routing';
