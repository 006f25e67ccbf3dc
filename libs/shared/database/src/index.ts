export * from './data-source';
export * from './sql-migrations';
export * from './sql-error-logger';
export * from './consumer-positions';
export * from './prepared-query';
