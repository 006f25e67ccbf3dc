import { AccountView } from '../ports/views';

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
