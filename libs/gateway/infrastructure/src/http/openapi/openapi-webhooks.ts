import { PAYMENT_EVENT_TYPES } from '@rtp/contracts';
import { createWebhookEndpointSchema, rotateWebhookSecretSchema } from '../webhook-validation';
import type { Operation } from './openapi-document';
import { requestSchema } from './openapi-schemas';

type JsonSchema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const string: JsonSchema = { type: 'string' };
const nullableString: JsonSchema = { type: ['string', 'null'] };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const object = (properties: Record<string, JsonSchema>, description?: string): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  ...(description ? { description } : {}),
});
const endpointPath = '/v1/webhook-endpoints/{id}';

/** The webhook endpoints' routes: a client's own endpoints, secrets and deliveries. */
export const WEBHOOK_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/webhook-endpoints',
    summary:
      'Register a webhook endpoint for payment events (https; every address its host resolves ' +
      'to must be public); the signing secret is shown once',
    auth: 'client',
    body: 'CreateWebhookEndpointRequest',
    responses: { '201': 'WebhookEndpointCreated', '422': 'Problem' },
  },
  {
    method: 'get',
    path: '/v1/webhook-endpoints',
    summary: "The client's webhook endpoints",
    auth: 'client',
    responses: { '200': 'WebhookEndpointList' },
  },
  {
    method: 'delete',
    path: endpointPath,
    summary: 'Delete a webhook endpoint: nothing more is sent to it (its deliveries are kept)',
    auth: 'client',
    responses: { '200': 'WebhookEndpointDeleted', '404': 'Problem' },
  },
  {
    method: 'post',
    path: `${endpointPath}/secret-rotations`,
    summary:
      'Rotate the signing secret (the new one shown once); during the overlap every delivery ' +
      'carries a signature with each secret',
    auth: 'client',
    body: 'RotateWebhookSecretRequest',
    responses: { '201': 'WebhookSecretRotated', '404': 'Problem' },
  },
  {
    method: 'get',
    path: `${endpointPath}/deliveries`,
    summary: "The endpoint's deliveries, newest first, with every attempt's status code and time",
    auth: 'client',
    query: [{ name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } }],
    responses: { '200': 'WebhookDeliveryList', '404': 'Problem' },
  },
  {
    method: 'post',
    path: `${endpointPath}/deliveries/{deliveryId}/retry`,
    summary: 'Send a delivered or failed delivery again (the same webhook-id, a new retry budget)',
    auth: 'client',
    responses: { '202': 'WebhookDeliveryRetried', '404': 'Problem', '409': 'Problem' },
  },
];

const endpoint = {
  id: string,
  url: string,
  eventTypes: { type: 'array', items: { enum: [...PAYMENT_EVENT_TYPES] } },
  status: { enum: ['enabled', 'disabled'] },
  disabledReason: nullableString,
  createdAt: time,
};
const attempt = object({
  attempt: { type: 'integer', minimum: 1 },
  at: time,
  durationMs: { type: 'integer', minimum: 0 },
  statusCode: { type: ['integer', 'null'] },
  error: nullableString,
});

export const WEBHOOK_SCHEMAS: Record<string, JsonSchema> = {
  CreateWebhookEndpointRequest: requestSchema(createWebhookEndpointSchema),
  RotateWebhookSecretRequest: requestSchema(rotateWebhookSecretSchema),
  WebhookEndpoint: object(endpoint),
  WebhookEndpointCreated: object(
    { ...endpoint, secret: { type: 'string', pattern: '^whsec_' } },
    'The Standard Webhooks signing secret is shown here only.',
  ),
  WebhookEndpointList: object({ data: { type: 'array', items: ref('WebhookEndpoint') } }),
  WebhookEndpointDeleted: object({ id: string, status: { const: 'deleted' } }),
  WebhookSecretRotated: object({
    secret: { type: 'string', pattern: '^whsec_' },
    previousSecretExpiresAt: time,
  }),
  WebhookDelivery: object({
    id: { ...string, description: 'Also the webhook-id header of every attempt' },
    eventId: string,
    eventType: { enum: [...PAYMENT_EVENT_TYPES] },
    paymentId: string,
    statusSequence: { type: 'integer', minimum: 1 },
    status: { enum: ['pending', 'delivered', 'failed'] },
    nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: time,
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    attempts: { type: 'array', items: attempt },
  }),
  WebhookDeliveryList: object({ data: { type: 'array', items: ref('WebhookDelivery') } }),
  WebhookDeliveryRetried: object({ id: string, status: { const: 'pending' } }),
};
