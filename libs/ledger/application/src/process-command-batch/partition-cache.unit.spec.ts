import { AccountState, newSystemAccount } from '@rtp/ledger/domain';
import { AccountLoader, PartitionCache } from './partition-cache';

const customer = (accountId: string): AccountState => ({
  ...newSystemAccount(accountId, 'customer', 'EUR'),
  overdraftLimitMinor: 0n,
});

/** Loads whatever is asked for, as the database would. */
const loader: AccountLoader = {
  loadAccounts: async (ids) => ids.map(customer),
  loadSystemAccounts: async (partition) => [
    newSystemAccount(`transit:EUR:p${partition}`, 'transit', 'EUR'),
  ],
};

async function cacheHolding(ids: string[]): Promise<PartitionCache> {
  const cache = new PartitionCache();
  await cache.load(0, ids, loader);
  return cache;
}

describe('the accounts a partition holds in memory', () => {
  it('forgets the least recently used customer accounts first, down to the bound', async () => {
    const cache = await cacheHolding(['a', 'b', 'c', 'd']);
    cache.get('a');
    expect(cache.evict(2, new Set())).toBe(2);
    expect(['a', 'b', 'c', 'd'].filter((id) => cache.get(id))).toEqual(['a', 'd']);
  });

  it('never forgets an account with unwritten changes, one the batch needs, or a system account', async () => {
    const cache = await cacheHolding(['a', 'b', 'c']);
    cache.markDirty(cache.get('a')!);
    expect(cache.evict(0, new Set(['b']))).toBe(1);
    expect(['a', 'b', 'c'].filter((id) => cache.get(id))).toEqual(['a', 'b']);
    expect(cache.get('transit:EUR:p0')).toBeDefined();
  });

  it('loads a forgotten account again from the database when it is needed', async () => {
    const cache = await cacheHolding(['a', 'b']);
    cache.evict(0, new Set());
    expect(cache.get('a')).toBeUndefined();
    await cache.load(0, ['a'], loader);
    expect(cache.get('a')?.accountId).toBe('a');
    expect(cache.size).toBe(2);
  });
});
