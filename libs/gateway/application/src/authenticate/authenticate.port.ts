import { Principal } from '@rtp/gateway/domain';

/** The principals of the stored API keys (in the gateway, a cache of the store's keys). */
export interface PrincipalsByKeyHash {
  findPrincipalByKeyHash(keyHash: string): Promise<Principal | null>;
}
