import { AccountVisibility, Principal, Result, refused, succeeded } from '@rtp/gateway/domain';
import { AccountView } from './ports/views';

/** The account, if the caller sees it (AccountVisibility); else account_not_found, as if absent. */
export async function visibleAccount(
  read: (accountId: string) => Promise<AccountView | null>,
  principal: Principal,
  accountId: string,
): Promise<Result<AccountView>> {
  const account = await read(accountId);
  if (!account || !AccountVisibility.seesAccount(principal, account)) {
    return refused({ code: 'account_not_found', accountId });
  }
  return succeeded(account);
}
