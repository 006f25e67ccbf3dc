import { AccountReader } from '../get-account/get-account.port';
import { AccountEntry, Page } from '../ports/views';

export interface EntriesReader extends AccountReader {
  /** An account's entries, newest first, `limit` at most, from `cursor` on. */
  entries(
    accountId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<AccountEntry>>;
}
