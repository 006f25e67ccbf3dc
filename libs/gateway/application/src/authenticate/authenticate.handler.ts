import { ADMIN_CLIENT_ID, Principal, hashApiKey, sameKeyHash } from '@rtp/gateway/domain';
import { PrincipalsByKeyHash } from './authenticate.port';

/** Resolves a bearer key to its client and scopes; the admin key comes from configuration. */
export class AuthenticateHandler {
  private readonly adminKeyHash: string;

  constructor(
    private readonly principals: PrincipalsByKeyHash,
    adminApiKey: string,
  ) {
    this.adminKeyHash = hashApiKey(adminApiKey);
  }

  async execute(apiKey: string): Promise<Principal | null> {
    if (apiKey.length < 16 || apiKey.length > 200) return null;
    const keyHash = hashApiKey(apiKey);
    if (sameKeyHash(keyHash, this.adminKeyHash))
      return { clientId: ADMIN_CLIENT_ID, scopes: ['admin', 'payments'] };
    return this.principals.findPrincipalByKeyHash(keyHash);
  }
}
