import { createAppDataSource } from '@rtp/shared/database';
import { requireEnv } from '../support/platform';

const SECRET = 'acct-secret-6c1d';

describe('a service connection whose statement fails', () => {
  const lines: string[] = [];
  const dataSource = createAppDataSource({
    url: requireEnv('DATABASE_URL'),
    schema: 'gateway',
    appRole: 'gateway_app',
    applicationName: 'sql-error-log-test',
    poolSizeMax: 1,
    statementTimeoutMs: 5_000,
    idleInTransactionTimeoutMs: 5_000,
    lockTimeoutMs: 2_000,
    logSink: (line) => lines.push(line),
  });

  beforeAll(() => dataSource.initialize());
  afterAll(() => dataSource.destroy());

  it.each([
    ['an overflow', 'SELECT $1::bigint + 9223372036854775807 AS total', ['1'], '22003'],
    ['a value of the wrong type', 'SELECT $1::bigint AS amount', [SECRET], '22P02'],
    ['text with a NUL', 'SELECT $1::jsonb AS metadata', [`{"note":"\\u0000${SECRET}"}`], '22P05'],
  ])(
    'logs %s with the query and PostgreSQL code but without the parameters',
    async (_name, query, parameters, code) => {
      lines.length = 0;
      await expect(dataSource.query(query, parameters)).rejects.toThrow();
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({
        level: 50,
        msg: 'SQL statement failed',
        query,
        code,
        service: 'sql-error-log-test',
      });
      expect(lines[0]).not.toContain(SECRET);
    },
  );
});
