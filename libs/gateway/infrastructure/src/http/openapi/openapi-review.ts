import { EXCEPTION_CLASSES } from '@rtp/contracts';
import { EXCEPTION_STATUSES } from '@rtp/gateway/application';
import type { Operation } from './openapi-document';

export { REVIEW_SCHEMAS } from './openapi-review-schemas';

const string = { type: 'string' };
const limit = { name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } };
const action = { '202': 'ReviewAction', '403': 'Problem', '404': 'Problem', '409': 'Problem' };
const exceptionPath = '/v1/admin/reconciliation/exceptions/{id}';

/** The operators' and the reconciliation review's routes, and the review page. */
export const REVIEW_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/admin/operators',
    summary: 'Create a named operator and their admin key (bootstrap admin key only; shown once)',
    auth: 'admin',
    body: 'CreateOperatorRequest',
    responses: { '201': 'OperatorCreated', '403': 'Problem', '409': 'Problem' },
  },
  {
    method: 'get',
    path: '/v1/admin/operators',
    summary: 'List the named operators',
    auth: 'admin',
    responses: { '200': 'OperatorList' },
  },
  {
    method: 'post',
    path: '/v1/admin/operators/{name}/revoke',
    summary: "Revoke an operator's key (bootstrap admin key only)",
    auth: 'admin',
    responses: { '200': 'Operator', '403': 'Problem', '404': 'Problem' },
  },
  {
    method: 'get',
    path: '/v1/admin/operators/me',
    summary: "The caller's operator name (the actor of their actions)",
    auth: 'admin',
    responses: { '200': 'OperatorIdentity' },
  },
  {
    method: 'get',
    path: '/v1/admin/reconciliation/exceptions',
    summary: 'Reconciliation exceptions, oldest first, with their age',
    auth: 'admin',
    query: [
      { name: 'status', schema: { enum: [...EXCEPTION_STATUSES] } },
      { name: 'class', schema: { enum: [...EXCEPTION_CLASSES] } },
      { name: 'currency', schema: { type: 'string', pattern: '^[A-Z]{3}$' } },
      { name: 'partnerId', schema: string },
      { name: 'minAgeHours', schema: { type: 'integer', minimum: 0, maximum: 999_999 } },
      limit,
      { name: 'cursor', schema: string },
    ],
    responses: { '200': 'ExceptionPage' },
  },
  {
    method: 'get',
    path: exceptionPath,
    summary: 'One exception: both sides, its proposals, the actions sent, its audit trail',
    auth: 'admin',
    responses: { '200': 'ReconciliationException', '404': 'Problem' },
  },
  {
    method: 'post',
    path: `${exceptionPath}/proposals`,
    summary: 'Propose a resolution with a note (a named operator; 202: sent to the reconciler)',
    auth: 'admin',
    body: 'ProposeResolutionRequest',
    idempotent: 'optional',
    responses: action,
  },
  {
    method: 'post',
    path: `${exceptionPath}/proposals/{proposalId}/approval`,
    summary: "Approve another operator's proposal (maker-checker; 202: sent to the reconciler)",
    auth: 'admin',
    body: 'ApproveResolutionRequest',
    idempotent: 'optional',
    responses: action,
  },
  {
    method: 'post',
    path: `${exceptionPath}/proposals/{proposalId}/decline`,
    summary: "Decline another operator's proposal with a note (202: sent to the reconciler)",
    auth: 'admin',
    body: 'DeclineResolutionRequest',
    idempotent: 'optional',
    responses: action,
  },
  {
    method: 'get',
    path: '/v1/admin/reconciliation/runs',
    summary: 'Reconciliation runs, newest first, with counts per class and rule',
    auth: 'admin',
    query: [{ name: 'partnerId', schema: string }, limit],
    responses: { '200': 'RunList' },
  },
  {
    method: 'post',
    path: '/v1/admin/reconciliation/runs',
    summary: "Fetch a day's statement and reconcile it now (202: sent)",
    auth: 'admin',
    body: 'RunRequest',
    responses: { '202': 'RunRequested' },
  },
  {
    method: 'get',
    path: '/v1/admin/reconciliation/rules',
    summary: 'The matching rules, every version, the set in force marked active',
    auth: 'admin',
    responses: { '200': 'RuleList' },
  },
  {
    method: 'get',
    path: '/admin/review',
    summary: "The operators' review page (static; it calls this API with the operator's key)",
    auth: 'none',
    responses: { '200': null },
  },
  {
    method: 'get',
    path: '/admin/review/assets/{file}',
    summary: 'Assets of /admin/review',
    auth: 'none',
    responses: { '200': null },
  },
];
