import { IdsAndClock } from '../ports/ids-and-clock.port';
import { API_KEY_PREFIX, Result, generateApiKey, hashApiKey, succeeded } from '@rtp/gateway/domain';
import { ClientStore } from './create-client.port';

export interface CreatedClient {
  id: string;
  name: string;
  /** Shown once: only its hash is stored. */
  apiKey: string;
}

export class CreateClientHandler {
  constructor(
    private readonly store: ClientStore,
    private readonly system: IdsAndClock,
  ) {}

  async execute(input: { name: string }): Promise<Result<CreatedClient>> {
    const apiKey = generateApiKey();
    const clientId = this.system.newId();
    await this.store.createClient({
      clientId,
      name: input.name,
      keyHash: hashApiKey(apiKey),
      keyPrefix: apiKey.slice(0, API_KEY_PREFIX.length + 6),
    });
    return succeeded({ id: clientId, name: input.name, apiKey });
  }
}
