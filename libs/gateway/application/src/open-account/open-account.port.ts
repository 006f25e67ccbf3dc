import { OutgoingCommand } from '../ports/outgoing-command';
import { AccountView } from '../ports/views';

export interface OpenAccountStore {
  /** Records the account as opening with its settings and queues OpenAccount, atomically. */
  openAccount(account: AccountView, command: OutgoingCommand): Promise<void>;
  findAccount(accountId: string): Promise<AccountView | null>;
}
