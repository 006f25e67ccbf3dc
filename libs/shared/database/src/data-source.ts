import { DataSource } from 'typeorm';
import { LogSink, SqlErrorLogger } from './sql-error-logger';
import { loadSqlMigrations } from './sql-migrations';

export interface DatabaseOptions {
  url: string;
  /** The service's own schema; services never read each other's. */
  schema: string;
  /** The unprivileged role the service runs as (granted to the login user by the migrations). */
  appRole: string;
  applicationName: string;
  poolSizeMax: number;
  statementTimeoutMs: number;
  /**
   * A process paused inside a transaction (a stopped or stalled former partition owner) would hold its
   * row locks and block the new owner; the server ends such a session after this long.
   */
  idleInTransactionTimeoutMs: number;
  lockTimeoutMs: number;
  /** Where failed statements are logged (without their parameters); standard output by default. */
  logSink?: LogSink;
}

/** A connection pool that runs every statement as the service's restricted role. */
export function createAppDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    applicationName: options.applicationName,
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    logger: new SqlErrorLogger(options.applicationName, options.logSink),
    extra: {
      max: options.poolSizeMax,
      options: [
        `-c role=${options.appRole}`,
        `-c search_path=${options.schema}`,
        `-c idle_in_transaction_session_timeout=${options.idleInTransactionTimeoutMs}`,
        `-c lock_timeout=${options.lockTimeoutMs}`,
        // Pinned for every connection of the services: their transactions begin with a bare BEGIN
        // (one statement instead of BEGIN plus SET TRANSACTION) and rely on READ COMMITTED.
        '-c default_transaction_isolation=read\\ committed',
      ].join(' '),
      statement_timeout: options.statementTimeoutMs,
      connectionTimeoutMillis: 10_000,
    },
  });
}

/**
 * Applies the schema's numbered SQL migrations as the login user, under an advisory lock so that
 * replicas starting together do not race.
 */
export async function migrateSchema(options: {
  url: string;
  schema: string;
  migrationsDirectory: string;
}): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    synchronize: false,
    logging: ['error'],
    logger: new SqlErrorLogger(`migrate:${options.schema}`),
    migrations: loadSqlMigrations(options.migrationsDirectory, options.schema),
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    extra: { max: 1 },
  });
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${options.schema}`]);
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query('SELECT pg_advisory_unlock(hashtext($1))', [
      `migrate:${options.schema}`,
    ]);
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
