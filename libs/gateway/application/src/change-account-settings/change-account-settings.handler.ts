import { IdsAndClock } from '../ports/ids-and-clock.port';
import { GatewayProblemError, Principal, ownedBy, problems } from '@rtp/gateway/domain';
import { AccountView } from '../ports/gateway-store.port';

export interface AccountSettingsChange {
  acceptsCreditsFromOtherClients: boolean;
}

export interface AccountSettingsStore {
  findAccount(accountId: string): Promise<AccountView | null>;
  saveAccountSettings(settings: {
    accountId: string;
    clientId: string;
    acceptsCreditsFromOtherClients: boolean;
    updatedBy: string;
    updatedAt: Date;
  }): Promise<void>;
}

/**
 * Changes the settings of an account. Only its owner may: whether other clients may pay into it is
 * the owner's consent, which not even the admin gives on the owner's behalf.
 */
export class ChangeAccountSettingsHandler {
  constructor(
    private readonly store: AccountSettingsStore,
    private readonly system: IdsAndClock,
  ) {}

  async execute(
    principal: Principal,
    accountId: string,
    change: AccountSettingsChange,
  ): Promise<AccountView> {
    const account = await this.store.findAccount(accountId);
    if (!account || !ownedBy(principal, account)) {
      throw new GatewayProblemError(problems.accountNotFound(accountId));
    }
    if (account.clientId !== principal.clientId) {
      throw new GatewayProblemError(problems.notAccountOwner(accountId));
    }
    await this.store.saveAccountSettings({
      accountId,
      clientId: account.clientId,
      acceptsCreditsFromOtherClients: change.acceptsCreditsFromOtherClients,
      updatedBy: principal.clientId,
      updatedAt: this.system.now(),
    });
    return (await this.store.findAccount(accountId)) ?? account;
  }
}
