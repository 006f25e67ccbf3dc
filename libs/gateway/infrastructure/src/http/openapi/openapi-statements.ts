import type { Operation } from './openapi-document';

/** The admin's statement upload (the body is the file: camt.053 XML or CSV, not JSON). */
export const STATEMENT_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/admin/statements',
    summary:
      'Upload a bank statement (application/xml camt.053.001.08 or .02, or text/csv) of ' +
      '?partnerId=: 201 {statementIds, entryCount}; the same file again 200 with the same ids; ' +
      'a malformed file 422 statement_malformed naming the line or element, nothing ingested',
    auth: 'admin',
    query: [{ name: 'partnerId', schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,30}$' } }],
    responses: { '201': null, '200': null, '400': 'Problem', '415': 'Problem', '422': 'Problem' },
  },
];
