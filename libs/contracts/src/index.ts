export * from './topics';
export * from './money';
export * from './envelope';
export * from './ledger-commands';
export * from './ledger-events';
export * from './canonical-json';
export * from './dead-letters';
