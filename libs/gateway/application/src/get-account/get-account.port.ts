import { AccountView } from '../ports/views';

/** The read models of accounts (the read replica when one is configured). */
export interface AccountReader {
  readAccount(accountId: string): Promise<AccountView | null>;
}
