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
  /** In least recently used order (a Map keeps insertion order; a use moves the account last). */
  private readonly accounts = new Map<string, AccountState>();
  private readonly dirty = new Map<string, AccountState>();
  private systemAccounts = 0;
  private initialised = false;

  get size(): number {
    return this.accounts.size;
  }

  get(accountId: string): AccountState | undefined {
    const account = this.accounts.get(accountId);
    if (account && account.kind === 'customer') {
      this.accounts.delete(accountId);
      this.accounts.set(accountId, account);
    }
    return account;
  }

  add(account: AccountState): AccountState {
    if (account.kind !== 'customer' && !this.accounts.has(account.accountId))
      this.systemAccounts += 1;
    this.accounts.set(account.accountId, account);
    this.markDirty(account);
    return account;
  }

  /**
   * Forgets least recently used customer accounts until at most `customersMax` are held. Never an
   * account with unwritten changes, one in `keep` (the batch about to be decided), or a system
   * account (a handful per partition, loaded once). Returns how many were forgotten.
   */
  evict(customersMax: number, keep: ReadonlySet<string>): number {
    let excess = this.accounts.size - this.systemAccounts - customersMax;
    let evicted = 0;
    for (const [accountId, account] of this.accounts) {
      if (excess <= 0) break;
      if (account.kind !== 'customer' || this.dirty.has(accountId) || keep.has(accountId)) continue;
      this.accounts.delete(accountId);
      excess -= 1;
      evicted += 1;
    }
    return evicted;
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
        this.systemAccounts += 1;
      }
      this.initialised = true;
    }
    const missing = [...new Set(accountIds)].filter((id) => !this.accounts.has(id));
    if (missing.length === 0) return;
    for (const account of await loader.loadAccounts(missing))
      this.accounts.set(account.accountId, account);
  }
}
