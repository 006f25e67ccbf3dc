import { Principal, Result, succeeded } from '@rtp/gateway/domain';
import { visibleAccount } from '../visible-account';
import { BalanceReader } from './get-balance.port';

export interface Balance {
  accountId: string;
  currency: string;
  /** The instant the balance is as of; null for the balance now. */
  asOf: Date | null;
  postedMinor: string;
  pendingMinor: string;
}

/** An account's balance now, or as of an instant (from its entries), to a caller who sees it. */
export class GetBalanceHandler {
  constructor(private readonly balances: BalanceReader) {}

  async execute(
    principal: Principal,
    accountId: string,
    asOf: Date | null,
  ): Promise<Result<Balance>> {
    const found = await visibleAccount((id) => this.balances.readAccount(id), principal, accountId);
    if (!found.ok) return found;
    const account = found.value;
    const now = { posted: account.postedMinor, pending: account.pendingMinor };
    const { posted, pending } =
      asOf === null ? now : await this.balances.balanceAsOf(account.id, asOf);
    return succeeded({
      accountId: account.id,
      currency: account.currency,
      asOf,
      postedMinor: posted,
      pendingMinor: pending,
    });
  }
}
