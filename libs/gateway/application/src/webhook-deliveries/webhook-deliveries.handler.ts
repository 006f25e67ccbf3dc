import { Principal, Result, refused, succeeded } from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { WebhookDeliveryView, WebhookEndpointStore } from '../ports/webhooks.port';

/** The deliveries of one of the caller's endpoints with their attempts, and a manual resend. */
export class WebhookDeliveriesHandler {
  constructor(
    private readonly store: Pick<WebhookEndpointStore, 'listDeliveries' | 'retryDelivery'>,
    private readonly system: IdsAndClock,
  ) {}

  async list(
    principal: Principal,
    endpointId: string,
    limit: number,
  ): Promise<Result<WebhookDeliveryView[]>> {
    const deliveries = await this.store.listDeliveries(principal.clientId, endpointId, limit);
    return deliveries
      ? succeeded(deliveries)
      : refused({ code: 'webhook_endpoint_not_found', endpointId });
  }

  /** Sends a delivered or failed delivery again (the same webhook-id), with a new retry budget. */
  async retry(
    principal: Principal,
    endpointId: string,
    deliveryId: string,
  ): Promise<Result<{ id: string; status: 'pending' }>> {
    const outcome = await this.store.retryDelivery(
      principal.clientId,
      endpointId,
      deliveryId,
      this.system.now(),
    );
    if (outcome === 'not_found') return refused({ code: 'webhook_delivery_not_found', deliveryId });
    if (outcome === 'pending') return refused({ code: 'webhook_delivery_pending', deliveryId });
    return succeeded({ id: deliveryId, status: 'pending' });
  }
}
