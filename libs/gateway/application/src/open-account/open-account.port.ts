import { OutgoingCommand } from '../ports/outgoing-command';
import { AccountView } from '../ports/views';

export interface OpenAccountStore {
  /**
   * Records the account as opening with its settings and queues OpenAccount, atomically; or, when
   * another account holds its virtual IBAN already, records nothing and says so.
   */
  openAccount(
    account: AccountView,
    command: OutgoingCommand,
  ): Promise<'opened' | 'virtual_iban_taken'>;
  findAccount(accountId: string): Promise<AccountView | null>;
}
