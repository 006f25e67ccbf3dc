import { LOGGED_QUERY_CHARS_MAX, SqlErrorLogger } from './sql-error-logger';

const SECRET = 'acct-7f3a-secret-reference';

function logged(error: string | Error, query: string, parameters: unknown[]) {
  const lines: string[] = [];
  new SqlErrorLogger('gateway', (line) => lines.push(line)).logQueryError(error, query, parameters);
  expect(lines).toHaveLength(1);
  return { line: lines[0], entry: JSON.parse(lines[0]) as Record<string, unknown> };
}

const pgError = (message: string, fields: Record<string, string>) =>
  Object.assign(new Error(message), {
    detail: `Key (account_id)=(${SECRET}) already exists.`,
    ...fields,
  });
const UNIQUE = 'duplicate key value violates unique constraint "accounts_pkey"';

describe('failed SQL statements in the logs', () => {
  it.each([
    [
      'an overflow',
      pgError('bigint out of range', { code: '22003' }),
      '22003',
      'bigint out of range',
    ],
    [
      'a value quoted in the message',
      pgError(`invalid input syntax for type bigint: "${SECRET}"`, { code: '22P02' }),
      '22P02',
      'invalid input syntax for type bigint: "…"',
    ],
    [
      'a unique violation',
      pgError(UNIQUE, { code: '23505', constraint: 'accounts_pkey' }),
      '23505',
      'duplicate key value violates unique constraint "…"',
    ],
    [
      'a message without an error object',
      `could not serialize access: "${SECRET}"`,
      undefined,
      'could not serialize access: "…"',
    ],
  ])(
    'logs %s with its query, code and message, never a parameter',
    (_name, error, code, message) => {
      const query = 'INSERT INTO gateway.accounts VALUES ($1, $2)';
      const { line, entry } = logged(error, query, [SECRET, 1]);
      expect(entry).toMatchObject({
        level: 50,
        service: 'gateway',
        msg: 'SQL statement failed',
        query,
        error: message,
      });
      expect(entry.code).toBe(code);
      expect(line).not.toContain(SECRET);
      expect(entry).not.toHaveProperty('parameters');
      expect(entry).not.toHaveProperty('detail');
    },
  );

  it('keeps the identifiers PostgreSQL reports beside the message', () => {
    const error = pgError(UNIQUE, {
      code: '23505',
      constraint: 'accounts_pkey',
      table: 'accounts',
      schema: 'gateway',
    });
    const { entry } = logged(error, 'INSERT', []);
    expect(entry).toMatchObject({
      constraint: 'accounts_pkey',
      table: 'accounts',
      schema: 'gateway',
    });
  });

  it('cuts a very long statement', () => {
    const { entry } = logged(pgError('x', { code: 'XX000' }), `INSERT ${'($1),'.repeat(900)}`, []);
    expect(String(entry.query)).toHaveLength(LOGGED_QUERY_CHARS_MAX);
  });

  it('logs nothing for queries that succeed, slow queries or migrations', () => {
    const lines: string[] = [];
    const logger = new SqlErrorLogger('gateway', (line) => lines.push(line));
    logger.logQuery();
    logger.logQuerySlow();
    logger.logMigration();
    logger.log();
    expect(lines).toEqual([]);
  });
});
