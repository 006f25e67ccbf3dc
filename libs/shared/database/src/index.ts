export * from './data-source';
export * from './sql-migrations';
