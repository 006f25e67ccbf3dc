import { OPERATIONS, buildOpenApiDocument } from './openapi-document';

interface Response {
  content?: Record<string, { schema: { $ref: string } }>;
  headers?: Record<string, unknown>;
}
type Paths = Record<string, Record<string, { responses: Record<string, Response> }>>;

const paths = (buildOpenApiDocument() as { paths: Paths }).paths;
const responsesOf = (method: string, path: string) => paths[path][method].responses;
const label = (op: { method: string; path: string }) => `${op.method.toUpperCase()} ${op.path}`;

/** What every operation must list, by what it takes: the statuses the gateway answers before it. */
const expectations = OPERATIONS.flatMap((op) => [
  ...['503'].map((status) => [label(op), op, status, 'any request'] as const),
  ...(op.auth === 'none' ? [] : ['401', '403', '429']).map(
    (status) => [label(op), op, status, 'a protected operation'] as const,
  ),
  ...(op.body ? ['400', '413', '415'] : []).map(
    (status) => [label(op), op, status, 'an operation with a body'] as const,
  ),
  ...(op.path.includes('{') ? ['400', '414'] : []).map(
    (status) => [label(op), op, status, 'an operation with a path parameter'] as const,
  ),
  ...(op.query ? ['400'] : []).map(
    (status) => [label(op), op, status, 'an operation with a query'] as const,
  ),
]);

describe('the OpenAPI document lists every status a route can answer', () => {
  it.each(expectations)('%s lists %s (%s) as a problem', (_label, op, status) => {
    const response = responsesOf(op.method, op.path)[status];
    expect(response?.content?.['application/problem+json']?.schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
  });

  it.each(OPERATIONS.map((op) => [label(op), op] as const))(
    '%s keeps its own responses',
    (_label, op) => {
      expect(Object.keys(responsesOf(op.method, op.path))).toEqual(
        expect.arrayContaining(Object.keys(op.responses)),
      );
    },
  );

  it("describes Retry-After on 429 and 503, and keeps readiness' own 503 body", () => {
    expect(responsesOf('post', '/v1/payments')['429'].headers).toHaveProperty('Retry-After');
    expect(responsesOf('post', '/v1/payments')['503'].headers).toHaveProperty('Retry-After');
    expect(Object.keys(responsesOf('get', '/health/ready')['503'].content ?? {})).toEqual([
      'application/json',
      'application/problem+json',
    ]);
  });
});
