import { Principal, Result } from '@rtp/gateway/domain';
import { AccountView } from '../ports/views';
import { visibleAccount } from '../visible-account';
import { AccountReader } from './get-account.port';

/** An account as the read model holds it, to a caller who sees it. */
export class GetAccountHandler {
  constructor(private readonly accounts: AccountReader) {}

  execute(principal: Principal, accountId: string): Promise<Result<AccountView>> {
    return visibleAccount((id) => this.accounts.readAccount(id), principal, accountId);
  }
}
