export * from './postgres-ledger.store';
export * from './ledger-command.worker';
export * from './ledger-runtime';
export * from './ledger-metrics';
export * from './historical-balance.query';
export * from './http/ledger-internal.controller';
export * from './http/internal-api-key.guard';
export * from './verify/ledger-checks';
