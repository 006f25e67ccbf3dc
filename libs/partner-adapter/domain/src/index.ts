export * from './masking';
export * from './call-outcome';
export * from './backoff';
export * from './payout';
export * from './payout-effects';
export * from './bank-status';
