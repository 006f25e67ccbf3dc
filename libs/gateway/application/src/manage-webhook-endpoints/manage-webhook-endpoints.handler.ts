import {
  Principal,
  Result,
  SECRET_OVERLAP_SECONDS_MAX,
  generateWebhookSecret,
  refused,
  succeeded,
} from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { WebhookEndpointStore, WebhookEndpointView } from '../ports/webhooks.port';

export interface RotatedWebhookSecret {
  /** Shown once. */
  secret: string;
  /** Until then deliveries carry a signature with the previous secret too. */
  previousSecretExpiresAt: Date;
}

/** Lists, deletes and rotates the secret of the caller's own webhook endpoints. */
export class ManageWebhookEndpointsHandler {
  constructor(
    private readonly store: Pick<
      WebhookEndpointStore,
      'listEndpoints' | 'deleteEndpoint' | 'rotateSecret'
    >,
    private readonly system: IdsAndClock,
  ) {}

  async list(principal: Principal): Promise<Result<WebhookEndpointView[]>> {
    return succeeded(await this.store.listEndpoints(principal.clientId));
  }

  async delete(principal: Principal, endpointId: string): Promise<Result<{ id: string }>> {
    const deleted = await this.store.deleteEndpoint(
      principal.clientId,
      endpointId,
      this.system.now(),
    );
    return deleted
      ? succeeded({ id: endpointId })
      : refused({ code: 'webhook_endpoint_not_found', endpointId });
  }

  async rotateSecret(
    principal: Principal,
    endpointId: string,
    overlapSeconds: number,
  ): Promise<Result<RotatedWebhookSecret>> {
    if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0) {
      throw new Error(`overlap ${overlapSeconds} s is not a non-negative integer`);
    }
    const now = this.system.now();
    const overlapMs = Math.min(overlapSeconds, SECRET_OVERLAP_SECONDS_MAX) * 1_000;
    const previousSecretExpiresAt = new Date(now.getTime() + overlapMs);
    const secret = generateWebhookSecret();
    const rotated = await this.store.rotateSecret(principal.clientId, endpointId, {
      secret,
      previousExpiresAt: previousSecretExpiresAt,
      at: now,
    });
    return rotated
      ? succeeded({ secret, previousSecretExpiresAt })
      : refused({ code: 'webhook_endpoint_not_found', endpointId });
  }
}
