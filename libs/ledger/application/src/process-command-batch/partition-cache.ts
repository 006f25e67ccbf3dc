import { AccountState } from '@rtp/ledger/domain';

export interface AccountLoader {
  loadAccounts(accountIds: string[]): Promise<AccountState[]>;
  loadSystemAccounts(partition: number): Promise<AccountState[]>;
}

/**
 * The accounts of one partition, held in memory by the partition's only writer so that a balance
 * check needs no query. Dropped whole on any failed commit or lost partition.
 */
export class PartitionCache {
  private readonly accounts = new Map<string, AccountState>();
  private readonly dirty = new Map<string, AccountState>();
  private initialised = false;

  get(accountId: string): AccountState | undefined {
    return this.accounts.get(accountId);
  }

  add(account: AccountState): AccountState {
    this.accounts.set(account.accountId, account);
    this.markDirty(account);
    return account;
  }

  markDirty(account: AccountState): void {
    this.dirty.set(account.accountId, account);
  }

  /** The accounts changed since the last call: one balance write per account per batch. */
  takeDirty(): AccountState[] {
    const changed = [...this.dirty.values()].map((account) => ({ ...account }));
    this.dirty.clear();
    return changed;
  }

  /** Loads the partition's system account shards once, then any customer accounts not yet held. */
  async load(partition: number, accountIds: string[], loader: AccountLoader): Promise<void> {
    if (!this.initialised) {
      for (const account of await loader.loadSystemAccounts(partition)) {
        this.accounts.set(account.accountId, account);
      }
      this.initialised = true;
    }
    const missing = [...new Set(accountIds)].filter((id) => !this.accounts.has(id));
    if (missing.length === 0) return;
    for (const account of await loader.loadAccounts(missing)) this.accounts.set(account.accountId, account);
  }
}
