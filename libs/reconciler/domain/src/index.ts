export * from './day-outcome';
export * from './exception-ids';
export * from './match-day';
export * from './matching-rules';
export * from './payout-matching';
export * from './records';
export * from './resolution-decisions';
