import { buildOpenApiDocument } from './openapi-document';

type Document = {
  paths: Record<string, Record<string, Record<string, any>>>;
  components: { schemas: Record<string, Record<string, any>> };
};

describe('the OpenAPI document of the review routes', () => {
  const document = buildOpenApiDocument() as Document;

  it('describes review actions: an optional Idempotency-Key, 202 with the action, the refusals', () => {
    const post = document.paths['/v1/admin/reconciliation/exceptions/{id}/proposals'].post;
    expect(post.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', required: false }),
    );
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['202', '400', '401', '403', '404', '409']),
    );
    expect(document.components.schemas.ProposeResolutionRequest.properties.resolution.enum).toEqual(
      ['accept_bank', 'dismiss'],
    );
  });

  it('lists the exceptions with their filters and the review page without authentication', () => {
    const list = document.paths['/v1/admin/reconciliation/exceptions'].get;
    expect(list.parameters.map((parameter: { name: string }) => parameter.name)).toEqual([
      'status',
      'class',
      'currency',
      'partnerId',
      'minAgeHours',
      'limit',
      'cursor',
    ]);
    expect(document.paths['/admin/review'].get.security).toEqual([]);
  });
});
