import type { Logger } from 'typeorm';

/** Receives one JSON log line (pino's shape: numeric level, time, msg). */
export type LogSink = (line: string) => void;

/** Longer statements (multi-row inserts) are cut; their start says which statement it was. */
export const LOGGED_QUERY_CHARS_MAX = 2_000;

const PINO_ERROR = 50;
const toStdout: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Identifiers PostgreSQL reports beside an error; none of them is a value. */
const IDENTIFIER_FIELDS = [
  'schema',
  'table',
  'column',
  'constraint',
  'dataType',
  'routine',
] as const;
type ErrorFields = Partial<Record<'code' | (typeof IDENTIFIER_FIELDS)[number], unknown>>;

function describe(error: string | Error): Record<string, unknown> {
  if (typeof error === 'string') return { error: withoutQuotedText(error) };
  const fields = error as Error & ErrorFields;
  const identifiers = Object.fromEntries(
    IDENTIFIER_FIELDS.filter((name) => typeof fields[name] === 'string').map((name) => [
      name,
      fields[name],
    ]),
  );
  return { code: fields.code, error: withoutQuotedText(error.message), ...identifiers };
}

/**
 * PostgreSQL quotes the offending value in some messages (`invalid input syntax for type bigint:
 * "…"`); identifiers it also quotes are logged from their own fields instead.
 */
function withoutQuotedText(message: string): string {
  return message.replace(/"[^"]*"/g, '"…"');
}

/**
 * TypeORM's logger for every service connection: a failed statement is logged with its text and
 * PostgreSQL's error code and message, never with its parameters (account ids, references,
 * metadata) nor the error's `detail` (which repeats key values). Nothing else is logged, as
 * with `logging: ['error']` before: notices and warnings may quote values too.
 */
export class SqlErrorLogger implements Logger {
  constructor(
    private readonly service: string,
    private readonly sink: LogSink = toStdout,
  ) {}

  /** The parameters are deliberately not logged. */
  logQueryError(error: string | Error, query: string, _parameters?: unknown): void {
    this.write(PINO_ERROR, 'SQL statement failed', {
      ...describe(error),
      query: query.slice(0, LOGGED_QUERY_CHARS_MAX),
    });
  }

  log(): void {}

  logQuery(): void {}

  logQuerySlow(): void {}

  logSchemaBuild(): void {}

  logMigration(): void {}

  private write(level: number, msg: string, fields: Record<string, unknown>): void {
    this.sink(
      JSON.stringify({
        level,
        time: Date.now(),
        pid: process.pid,
        service: this.service,
        context: 'database',
        msg,
        ...fields,
      }),
    );
  }
}
