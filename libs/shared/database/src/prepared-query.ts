import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import type { RowsQuery } from './consumer-positions';

/** Where a failed statement is reported: a service's TypeORM logger (SqlErrorLogger). */
export type QueryErrorLog = (error: Error, text: string) => void;

/** Statement texts are constants of the code, so this holds one name per statement the code has. */
const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `s_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A RowsQuery that runs each statement as a named prepared statement of this connection: it is
 * parsed once per connection, and PostgreSQL may keep a generic plan, so later runs skip parsing
 * and planning. Only for statements with a fixed text (multi-row statements over unnest arrays,
 * never text built from values). The name is a hash of the text, so one name never means two
 * texts. A statement without parameters (BEGIN, COMMIT) runs as it is: there is nothing to plan,
 * and pg_stat_statements counts transaction control only when it is not prepared. A failure is
 * reported as TypeORM would, without the parameters.
 */
export function preparedQuery(client: PoolClient, logError: QueryErrorLog): RowsQuery {
  return async (text, values) => {
    try {
      const result =
        values.length === 0
          ? await client.query(text)
          : await client.query({ name: nameOf(text), text, values });
      return result.rows as Record<string, unknown>[];
    } catch (error) {
      logError(error as Error, text);
      throw error;
    }
  };
}

/**
 * preparedQuery on the connection of a TypeORM transaction (`dataSource.transaction(manager => …)`),
 * failures reported to the data source's logger.
 */
export async function preparedQueryIn(manager: EntityManager): Promise<RowsQuery> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('preparedQueryIn needs the manager of a transaction');
  // TypeORM 1.1's PostgresQueryRunner.connect() resolves to the pool client it holds.
  const client = (await runner.connect()) as PoolClient;
  return preparedQuery(client, (error, text) =>
    runner.connection.logger.logQueryError(error, text, [], runner),
  );
}
