import type { PaymentEventType } from '@rtp/contracts';
import {
  AddressPolicy,
  Principal,
  Result,
  checkWebhookUrl,
  forbiddenResolution,
  generateWebhookSecret,
  isIpLiteral,
  refused,
  succeeded,
} from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { HostResolver, WebhookEndpointStore, WebhookEndpointView } from '../ports/webhooks.port';

export interface RegisteredWebhookEndpoint extends WebhookEndpointView {
  /** Shown once: the receiver verifies signatures with it. */
  secret: string;
}

export interface WebhookRegistrationSettings extends AddressPolicy {
  endpointsPerClientMax: number;
}

/**
 * Registers one of the caller's webhook endpoints. The URL is checked (https, no credentials) and
 * its host resolved now: every address must be public. The sender checks again at every delivery.
 */
export class RegisterWebhookEndpointHandler {
  constructor(
    private readonly store: Pick<WebhookEndpointStore, 'countEndpoints' | 'createEndpoint'>,
    private readonly resolver: HostResolver,
    private readonly settings: WebhookRegistrationSettings,
    private readonly system: IdsAndClock,
  ) {}

  async execute(
    principal: Principal,
    input: { url: string; eventTypes: PaymentEventType[] },
  ): Promise<Result<RegisteredWebhookEndpoint>> {
    const reason = await this.forbiddenUrlReason(input.url);
    if (reason) return refused({ code: 'webhook_url_forbidden', reason });
    const endpointsMax = this.settings.endpointsPerClientMax;
    if ((await this.store.countEndpoints(principal.clientId)) >= endpointsMax) {
      return refused({ code: 'webhook_endpoints_limit', endpointsMax });
    }
    const secret = generateWebhookSecret();
    const endpoint = {
      endpointId: `we_${this.system.newId().replace(/-/g, '')}`,
      clientId: principal.clientId,
      url: input.url,
      eventTypes: [...new Set(input.eventTypes)],
      secret,
      createdAt: this.system.now(),
    };
    await this.store.createEndpoint(endpoint);
    return succeeded({
      id: endpoint.endpointId,
      url: endpoint.url,
      eventTypes: endpoint.eventTypes,
      status: 'enabled',
      disabledReason: null,
      createdAt: endpoint.createdAt,
      secret,
    });
  }

  private async forbiddenUrlReason(text: string): Promise<string | null> {
    const checked = checkWebhookUrl(text, this.settings);
    if (!checked.ok) return checked.reason;
    const host = checked.url.hostname.replace(/^\[|\]$/g, '');
    if (isIpLiteral(host)) return null;
    const addresses = await this.resolver.resolve(host);
    return forbiddenResolution(host, addresses, this.settings, checked.url.protocol === 'http:');
  }
}
