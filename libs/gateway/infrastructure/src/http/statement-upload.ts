import { StatementProblem } from '@rtp/shared/statements';
import { HttpProblem } from './problems/http-problem';

/** The largest statement an admin may upload (a big day of camt.053). */
export const STATEMENT_UPLOAD_BYTES_MAX = 64 * 1024 * 1024;

/** XML (camt.053) or CSV, by the request's media type. */
export function statementKind(contentType: string | undefined): 'xml' | 'csv' | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/xml' || type === 'text/xml') return 'xml';
  return type === 'text/csv' ? 'csv' : null;
}

export const uploadProblems = {
  invalidPartner: (): HttpProblem => ({
    status: 400,
    code: 'invalid_partner',
    title: 'Invalid partner',
    detail: "Name the statement's bank in the query: ?partnerId=<lowercase id>.",
  }),
  unsupportedType: (): HttpProblem => ({
    status: 415,
    code: 'unsupported_media_type',
    title: 'Unsupported media type',
    detail: 'Send a statement as application/xml (camt.053.001.08 or .02) or text/csv.',
  }),
  malformed: (problem: StatementProblem): HttpProblem => ({
    status: 422,
    code: 'statement_malformed',
    title: 'Statement malformed',
    detail:
      (problem.location ? `${problem.location}: ` : '') +
      `${problem.detail}. Nothing of the statement was ingested.`,
    extra: { kind: problem.kind, location: problem.location },
  }),
};
