export * from './statement-file';
export * from './parse-statement-file';
export * from './statement-messages';
export { STATEMENT_CSV_HEADER } from './csv-parser';
export { CAMT053_NAMESPACES, type CamtVersion } from './xsd-validation';
export * from './statement-fixtures';
