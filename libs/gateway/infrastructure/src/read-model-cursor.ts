import { AMOUNT_MINOR_MAX } from '@rtp/contracts';
import { HttpProblemError } from './http/problems/http-problem';

/** Checks one element of a cursor's keyset position before it may become a SQL parameter. */
export type PositionField = (value: unknown) => value is string;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An account sequence: digits that fit a PostgreSQL bigint. */
export const sequenceField: PositionField = (value): value is string =>
  typeof value === 'string' && /^[0-9]{1,19}$/.test(value) && BigInt(value) <= AMOUNT_MINOR_MAX;

/**
 * An instant exactly as `toISOString` writes it, after 1970: this API's own cursors are, and
 * anything else (day 30 of February, year 0, which PostgreSQL refuses) would reach the database
 * as an error.
 */
export const instantField: PositionField = (value): value is string => {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return false;
  const time = Date.parse(value);
  return time >= 0 && new Date(time).toISOString() === value;
};

/** A payment or account id, as the API's id validation accepts it. */
export const idField: PositionField = (value): value is string =>
  typeof value === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(value);

/** Opaque cursors: base64url JSON of the keyset position. */
export function encodeCursor(position: string[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function parsePosition(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/**
 * Decodes a cursor whose position has one element per field, each of the field's type. A tampered
 * cursor is a 400 `invalid_cursor` and never reaches SQL, where a wrong type would be a 5xx.
 */
export function decodeCursor(
  cursor: string | undefined,
  fields: readonly PositionField[],
): string[] | null {
  if (cursor === undefined) return null;
  const position = parsePosition(cursor);
  if (
    Array.isArray(position) &&
    position.length === fields.length &&
    fields.every((isValid, index) => isValid(position[index]))
  ) {
    return position as string[];
  }
  throw new HttpProblemError({
    status: 400,
    code: 'invalid_cursor',
    title: 'Invalid cursor',
    detail: 'The cursor is not one this API returned.',
  });
}
