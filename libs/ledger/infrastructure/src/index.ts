export * from './postgres-ledger.store';
export * from './ledger-command.worker';
export * from './ledger-runtime';
export * from './ledger-metrics';
