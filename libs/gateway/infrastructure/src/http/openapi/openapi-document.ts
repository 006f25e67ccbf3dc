import { PAYMENT_STATUSES } from '@rtp/gateway/application';
import { documentedResponses } from './openapi-responses';
import { REVIEW_OPERATIONS, REVIEW_SCHEMAS } from './openapi-review';
import { SCHEMAS } from './openapi-schemas';
import { STATEMENT_OPERATIONS } from './openapi-statements';
import { WEBHOOK_OPERATIONS, WEBHOOK_SCHEMAS } from './openapi-webhooks';

type Method = 'get' | 'post' | 'patch' | 'delete';

export interface Operation {
  method: Method;
  path: string;
  summary: string;
  auth: 'none' | 'client' | 'admin';
  body?: string;
  query?: { name: string; schema: Record<string, unknown> }[];
  /** An Idempotency-Key header: required on money-moving POSTs, optional on admin actions. */
  idempotent?: boolean | 'optional';
  responses: Record<string, string | null>;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const limit = { name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } };
const cursor = { name: 'cursor', schema: { type: 'string' } };
const accountAction = {
  '200': 'Account',
  '202': 'Account',
  '400': 'Problem',
  '404': 'Problem',
  '409': 'Problem',
  '422': 'Problem',
};
const money = {
  '201': 'Payment',
  '202': 'Payment',
  '400': 'Problem',
  '404': 'Problem',
  '409': 'Problem',
  '422': 'Problem',
};

/** Every route the gateway serves; the gateway refuses to start if its routes and this list differ. */
export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/admin/clients',
    summary: 'Create an API client and its key (shown once)',
    auth: 'admin',
    body: 'CreateClientRequest',
    responses: { '201': 'Client', '400': 'Problem' },
  },
  {
    method: 'post',
    path: '/v1/admin/deposits',
    summary: 'Fund an account from the sandbox partner',
    auth: 'admin',
    body: 'DepositRequest',
    idempotent: true,
    responses: money,
  },
  {
    method: 'post',
    path: '/v1/accounts',
    summary: 'Open an account',
    auth: 'client',
    body: 'OpenAccountRequest',
    responses: { '201': 'Account', '202': 'Account', '400': 'Problem' },
  },
  {
    method: 'get',
    path: '/v1/accounts/{id}',
    summary: 'Read an account',
    auth: 'client',
    responses: { '200': 'Account', '404': 'Problem' },
  },
  {
    method: 'patch',
    path: '/v1/accounts/{id}',
    summary: "Change an account's settings (its owner only)",
    auth: 'client',
    body: 'AccountSettingsRequest',
    responses: { '200': 'Account', '400': 'Problem', '403': 'Problem', '404': 'Problem' },
  },
  {
    method: 'get',
    path: '/v1/accounts/{id}/balance',
    summary: 'Balance, now or as of an instant',
    auth: 'client',
    query: [{ name: 'asOf', schema: { type: 'string', format: 'date-time' } }],
    responses: { '200': 'Balance', '400': 'Problem', '404': 'Problem' },
  },
  {
    method: 'get',
    path: '/v1/accounts/{id}/entries',
    summary: 'Balance changes, newest first',
    auth: 'client',
    query: [limit, cursor],
    responses: { '200': 'EntryPage', '400': 'Problem', '404': 'Problem' },
  },
  {
    method: 'post',
    path: '/v1/accounts/{id}/freeze',
    summary: 'Freeze debits, credits or all',
    auth: 'admin',
    body: 'FreezeRequest',
    idempotent: 'optional',
    responses: accountAction,
  },
  {
    method: 'post',
    path: '/v1/accounts/{id}/unfreeze',
    summary: 'Lift a freeze',
    auth: 'admin',
    body: 'FreezeRequest',
    idempotent: 'optional',
    responses: accountAction,
  },
  {
    method: 'post',
    path: '/v1/payments',
    summary: 'Pay from one account to another',
    auth: 'client',
    body: 'PaymentRequest',
    idempotent: true,
    responses: money,
  },
  {
    method: 'get',
    path: '/v1/payments',
    summary: 'List payments, newest first',
    auth: 'client',
    query: [
      { name: 'accountId', schema: { type: 'string' } },
      { name: 'status', schema: { enum: [...PAYMENT_STATUSES] } },
      limit,
      cursor,
    ],
    responses: { '200': 'PaymentPage', '400': 'Problem', '404': 'Problem' },
  },
  {
    method: 'get',
    path: '/v1/payments/{id}',
    summary: 'Read a payment',
    auth: 'client',
    responses: { '200': 'Payment', '404': 'Problem' },
  },
  {
    method: 'post',
    path: '/v1/payouts',
    summary: 'Pay out from an account to an IBAN at another bank, through the partner bank',
    auth: 'client',
    body: 'PayoutRequest',
    idempotent: true,
    responses: { ...money, '201': 'Payout', '202': 'Payout' },
  },
  {
    method: 'get',
    path: '/v1/payouts/{id}',
    summary: 'Read a payout: its status, the bank reference and every status change',
    auth: 'client',
    responses: { '200': 'Payout', '404': 'Problem' },
  },
  ...REVIEW_OPERATIONS,
  ...STATEMENT_OPERATIONS,
  ...WEBHOOK_OPERATIONS,
  {
    method: 'get',
    path: '/health/live',
    summary: 'Liveness',
    auth: 'none',
    responses: { '200': 'Health' },
  },
  {
    method: 'get',
    path: '/health/ready',
    summary: 'Readiness (database, Kafka, listener)',
    auth: 'none',
    responses: { '200': 'Health', '503': 'Health' },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    auth: 'none',
    responses: { '200': null },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    auth: 'none',
    responses: { '200': null },
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'Browsable API documentation',
    auth: 'none',
    responses: { '200': null },
  },
  {
    method: 'get',
    path: '/docs/assets/{file}',
    summary: 'Assets of /docs',
    auth: 'none',
    responses: { '200': null },
  },
];

function operation(op: Operation) {
  const parameters: object[] = [];
  for (const match of op.path.matchAll(/\{(\w+)\}/g)) {
    parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
  }
  for (const query of op.query ?? [])
    parameters.push({ name: query.name, in: 'query', schema: query.schema });
  if (op.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: op.idempotent === true,
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  if (op.body && op.method === 'post') {
    parameters.push({
      name: 'Prefer',
      in: 'header',
      schema: { type: 'string' },
      description: '`wait=N` (seconds, max 10) or `respond-async`',
    });
  }
  const responses = documentedResponses(op);
  return {
    summary: op.summary,
    operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) =>
      (c ?? '').toUpperCase(),
    )}`,
    ...(op.auth === 'none' ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref(op.body) } },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Real-time payments gateway',
      version: '1.0.0',
      description:
        'Amounts are integer minor units as strings; errors are RFC 9457 problems with a ' +
        'stable code. Any request can also meet a refusal before it reaches an operation, as a ' +
        'problem: 400 malformed_request (not valid HTTP), 408 request_timeout, 431 ' +
        'headers_too_large.',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
      },
      schemas: { ...SCHEMAS, ...REVIEW_SCHEMAS, ...WEBHOOK_SCHEMAS },
    },
  };
}

/** Compares served routes (Fastify form, `:id`) with the documented ones; returns the differences. */
export function undocumentedRoutes(routes: { method: string; url: string }[]): string[] {
  const documented = new Set(OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`));
  const served = new Set(
    routes
      .filter((route) => route.method !== 'HEAD' && route.method !== 'OPTIONS')
      .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`),
  );
  return [
    ...[...served]
      .filter((route) => !documented.has(route))
      .map((route) => `served but not documented: ${route}`),
    ...[...documented]
      .filter((route) => !served.has(route))
      .map((route) => `documented but not served: ${route}`),
  ];
}
