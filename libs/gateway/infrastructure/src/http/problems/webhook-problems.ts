import { GatewayRefusal } from '@rtp/gateway/domain';
import { HttpProblem } from './http-problem';

type WebhookCode =
  | 'webhook_url_forbidden'
  | 'webhook_endpoint_not_found'
  | 'webhook_endpoints_limit'
  | 'webhook_delivery_not_found'
  | 'webhook_delivery_pending';
type Refusal<C extends WebhookCode> = Extract<GatewayRefusal, { code: C }>;

/** The problems of the webhook endpoints' refusals (see refusal-problem). */
export const WEBHOOK_PROBLEMS: { [C in WebhookCode]: (refusal: Refusal<C>) => HttpProblem } = {
  webhook_url_forbidden: ({ reason }) => ({
    status: 422,
    code: 'webhook_url_forbidden',
    title: 'Webhooks cannot be sent to this URL',
    detail:
      `The URL is refused: ${reason}. Webhooks go to https URLs whose host resolves to public ` +
      'addresses only.',
    extra: { reason },
  }),
  webhook_endpoint_not_found: ({ endpointId }) => ({
    status: 404,
    code: 'webhook_endpoint_not_found',
    title: 'Webhook endpoint not found',
    detail: `No webhook endpoint ${endpointId} is visible to this client.`,
  }),
  webhook_endpoints_limit: ({ endpointsMax }) => ({
    status: 422,
    code: 'webhook_endpoints_limit',
    title: 'Too many webhook endpoints',
    detail: `A client may have at most ${endpointsMax} webhook endpoints; delete one first.`,
    extra: { endpointsMax },
  }),
  webhook_delivery_not_found: ({ deliveryId }) => ({
    status: 404,
    code: 'webhook_delivery_not_found',
    title: 'Webhook delivery not found',
    detail: `The endpoint has no delivery ${deliveryId}.`,
  }),
  webhook_delivery_pending: ({ deliveryId }) => ({
    status: 409,
    code: 'webhook_delivery_pending',
    title: 'The delivery is still being attempted',
    detail: `Delivery ${deliveryId} is pending: it is retried by itself until it succeeds or fails.`,
  }),
};
