import { IdsAndClock } from '../ports/ids-and-clock.port';
import { API_KEY_PREFIX, generateApiKey, hashApiKey } from '@rtp/gateway/domain';
import { GatewayStore } from '../ports/gateway-store.port';

export interface CreatedClient {
  id: string;
  name: string;
  /** Shown once: only its hash is stored. */
  apiKey: string;
}

export class CreateClientHandler {
  constructor(
    private readonly store: GatewayStore,
    private readonly system: IdsAndClock,
  ) {}

  async execute(input: { name: string }): Promise<CreatedClient> {
    const apiKey = generateApiKey();
    const clientId = this.system.newId();
    await this.store.createClient({
      clientId,
      name: input.name,
      keyHash: hashApiKey(apiKey),
      keyPrefix: apiKey.slice(0, API_KEY_PREFIX.length + 6),
    });
    return { id: clientId, name: input.name, apiKey };
  }
}
