import { buildOpenApiDocument } from './openapi-document';

type Document = {
  paths: Record<string, Record<string, Record<string, any>>>;
  components: { schemas: Record<string, Record<string, any>> };
};

describe('the OpenAPI document of the webhook endpoints', () => {
  const document = buildOpenApiDocument() as Document;

  it('documents registration with its request, the secret shown once and the URL refusal', () => {
    const post = document.paths['/v1/webhook-endpoints'].post;
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '422']));
    const request = document.components.schemas.CreateWebhookEndpointRequest;
    expect(request.required).toEqual(['url', 'eventTypes']);
    expect(request.properties.eventTypes.items.enum).toContain('PayoutReturned');
    expect(document.components.schemas.WebhookEndpointCreated.required).toContain('secret');
  });

  it('documents deletion, rotation, deliveries and the manual retry', () => {
    expect(document.paths['/v1/webhook-endpoints/{id}'].delete.responses['404']).toBeDefined();
    expect(
      document.paths['/v1/webhook-endpoints/{id}/secret-rotations'].post.requestBody,
    ).toBeDefined();
    const deliveries = document.paths['/v1/webhook-endpoints/{id}/deliveries'].get;
    expect(deliveries.parameters.map((parameter: { name: string }) => parameter.name)).toEqual([
      'id',
      'limit',
    ]);
    const retry = document.paths['/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/retry'].post;
    expect(Object.keys(retry.responses)).toEqual(expect.arrayContaining(['202', '404', '409']));
    expect(document.components.schemas.WebhookDelivery.properties.attempts.items.required).toEqual([
      'attempt',
      'at',
      'durationMs',
      'statusCode',
      'error',
    ]);
  });
});
