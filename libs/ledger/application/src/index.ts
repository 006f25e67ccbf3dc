export * from './process-command-batch/ledger-store.port';
export * from './process-command-batch/partition-cache';
export * from './process-command-batch/process-command-batch.handler';
export * from './process-command-batch/event-message';
export * from './ledger-invariants/ledger-invariants';
