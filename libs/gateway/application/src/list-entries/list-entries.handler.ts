import { Principal, Result, succeeded } from '@rtp/gateway/domain';
import { AccountEntry, Page } from '../ports/views';
import { visibleAccount } from '../visible-account';
import { EntriesReader } from './list-entries.port';

/** The account's balance changes, newest first, each with the balance after it. */
export class ListEntriesHandler {
  constructor(private readonly entries: EntriesReader) {}

  async execute(
    principal: Principal,
    accountId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Result<Page<AccountEntry>>> {
    const found = await visibleAccount((id) => this.entries.readAccount(id), principal, accountId);
    if (!found.ok) return found;
    return succeeded(await this.entries.entries(found.value.id, page.limit, page.cursor));
  }
}
