import { OPERATIONS, buildOpenApiDocument, undocumentedRoutes } from './openapi-document';

const served = OPERATIONS.map((op) => ({
  method: op.method.toUpperCase(),
  url: op.path.replace(/\{(\w+)\}/g, ':$1'),
}));

describe('the OpenAPI document', () => {
  it('documents exactly the served routes (HEAD routes aside)', () => {
    expect(undocumentedRoutes([...served, { method: 'HEAD', url: '/metrics' }])).toEqual([]);
  });

  it('names a served route that is missing from the document, and a documented one not served', () => {
    expect(
      undocumentedRoutes([...served.slice(1), { method: 'DELETE', url: '/v1/accounts/:id' }]),
    ).toEqual([
      'served but not documented: DELETE /v1/accounts/{id}',
      'documented but not served: POST /v1/admin/clients',
    ]);
  });

  it('describes money-moving requests with a required Idempotency-Key and string or integer amounts', () => {
    const document = buildOpenApiDocument() as {
      paths: Record<string, Record<string, { parameters: { name: string; required?: boolean }[] }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const post = document.paths['/v1/payments'].post;
    expect(post.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', required: true }),
    );
    expect(document.components.schemas.PaymentRequest.properties.amount).toMatchObject({
      oneOf: expect.any(Array),
    });
  });

  it('describes payouts: a required Idempotency-Key, the beneficiary and every payout status', () => {
    const document = buildOpenApiDocument() as {
      paths: Record<string, Record<string, { parameters: { name: string; required?: boolean }[] }>>;
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    };
    expect(document.paths['/v1/payouts'].post.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', required: true }),
    );
    expect(document.paths['/v1/payouts/{id}'].get).toBeDefined();
    const { PayoutRequest, Payout } = document.components.schemas;
    expect(Object.keys(PayoutRequest.properties)).toEqual(
      expect.arrayContaining(['sourceAccountId', 'amount', 'currency', 'beneficiary']),
    );
    expect(Payout.properties.status.enum).toEqual([
      'processing',
      'pending',
      'completed',
      'failed',
      'rejected',
      'returned',
    ]);
  });
});
