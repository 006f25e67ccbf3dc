export * from './consumer/reconciler.worker';
export * from './migrations-directory';
export * from './reconciler-metrics';
export * from './reconciler-runtime';
export * from './runs/run-executor';
export * from './store/reconciler-outbox';
export * from './store/reconciler-store';
