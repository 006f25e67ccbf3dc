import { HttpProblemError } from './http/problems/http-problem';
import {
  decodeCursor,
  encodeCursor,
  idField,
  instantField,
  sequenceField,
} from './read-model-cursor';

const raw = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
const entries = [sequenceField];
const payments = [instantField, idField];

describe('read model cursors', () => {
  it.each([
    ['an entries position', entries, ['42']],
    ['the largest sequence', entries, ['9223372036854775807']],
    ['a payments position', payments, ['2026-03-01T10:00:00.123Z', 'b1c2d3e4-0000-4000-8000-0000']],
  ])('decodes %s it encoded', (_name, fields, position) => {
    expect(decodeCursor(encodeCursor(position), fields)).toEqual(position);
  });

  it('has no position without a cursor', () => {
    expect(decodeCursor(undefined, entries)).toBeNull();
  });

  it.each([
    ['a word for a sequence', entries, raw(['x'])],
    ['two elements for one', entries, raw(['x', 'y'])],
    ['a sequence beyond bigint', entries, raw(['99999999999999999999'])],
    ['a sequence just beyond bigint', entries, raw(['9223372036854775808'])],
    ['a negative sequence', entries, raw(['-1'])],
    ['a number, not a string', entries, raw([42])],
    ['an empty position', entries, raw([])],
    ['an object', entries, raw({ sequence: '1' })],
    ['no JSON at all', entries, Buffer.from('not json').toString('base64url')],
    ['a date without time', payments, raw(['2026-03-01', 'id'])],
    ['a date that does not exist', payments, raw(['2026-02-30T00:00:00.000Z', 'id'])],
    ['year 0', payments, raw(['0000-01-01T00:00:00.000Z', 'id'])],
    ['a non-ISO date', payments, raw(['Sun, 01 Mar 2026 10:00:00 GMT', 'id'])],
    ['an instant with an offset', payments, raw(['2026-03-01T10:00:00.000+01:00', 'id'])],
    ['an id with a quote', payments, raw(['2026-03-01T10:00:00.000Z', "x' OR 1=1"])],
    ['an empty id', payments, raw(['2026-03-01T10:00:00.000Z', ''])],
    ['a null id', payments, raw(['2026-03-01T10:00:00.000Z', null])],
    ['one element for two', payments, raw(['2026-03-01T10:00:00.000Z'])],
  ])('refuses %s with invalid_cursor', (_name, fields, cursor) => {
    let problem: unknown = null;
    try {
      decodeCursor(cursor, fields);
    } catch (error) {
      problem = error instanceof HttpProblemError ? error.problem : error;
    }
    expect(problem).toMatchObject({ status: 400, code: 'invalid_cursor' });
  });
});
