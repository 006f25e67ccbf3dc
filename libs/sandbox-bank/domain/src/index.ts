export * from './seeded-random';
export * from './transfer-status';
export * from './money-text';
export * from './fault-settings';
export * from './request-faults';
export * from './booking-rules';
export * from './statement';
export * from './statement-defects';
/** A statement entry builder for tests (the domain's and the adapters' statement specs). */
export * from './test-statements';
