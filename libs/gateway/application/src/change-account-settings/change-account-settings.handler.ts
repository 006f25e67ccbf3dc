import { Principal, Result, refused, succeeded } from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { AccountView } from '../ports/views';
import { visibleAccount } from '../visible-account';
import { AccountSettingsStore } from './change-account-settings.port';

export interface AccountSettingsChange {
  acceptsCreditsFromOtherClients: boolean;
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
  ): Promise<Result<AccountView>> {
    const found = await visibleAccount((id) => this.store.findAccount(id), principal, accountId);
    if (!found.ok) return found;
    const account = found.value;
    if (account.clientId !== principal.clientId) {
      return refused({ code: 'not_account_owner', accountId });
    }
    await this.store.saveAccountSettings({
      accountId,
      clientId: account.clientId,
      acceptsCreditsFromOtherClients: change.acceptsCreditsFromOtherClients,
      updatedBy: principal.clientId,
      updatedAt: this.system.now(),
    });
    return succeeded((await this.store.findAccount(accountId)) ?? account);
  }
}
