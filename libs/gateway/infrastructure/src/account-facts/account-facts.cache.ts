import { AccountFacts, AccountFactsReader } from '@rtp/gateway/application';
import { ExpiringLru } from '../notified-cache/expiring-lru';
import { CacheMemory, NotifiedCache } from '../notified-cache/notified-cache';

/** Where a change of the owner's consent is announced, in the transaction that makes it. */
export const ACCOUNT_SETTINGS_CHANNEL = 'gateway_account_settings';

/** Accounts whose opening the ledger settled, least recently used forgotten first, no expiry. */
class SettledAccounts implements CacheMemory<AccountFacts | null> {
  private readonly entries: ExpiringLru<AccountFacts>;

  constructor(entriesMax: number) {
    if (!Number.isInteger(entriesMax) || entriesMax < 1) {
      throw new Error(
        `an account facts cache needs room for at least one account, not ${entriesMax}`,
      );
    }
    this.entries = new ExpiringLru(entriesMax);
  }

  get size(): number {
    return this.entries.size;
  }

  get(accountId: string) {
    return this.entries.get(accountId, 0);
  }

  remember(accountId: string, facts: AccountFacts | null): void {
    // A missing account may be opened any moment, and one still opening may yet be refused.
    if (!facts || facts.status === 'opening') return;
    this.entries.set(
      accountId,
      {
        id: facts.id,
        clientId: facts.clientId,
        currency: facts.currency,
        status: facts.status,
        acceptsCreditsFromOtherClients: facts.acceptsCreditsFromOtherClients,
      },
      Number.POSITIVE_INFINITY,
    );
  }

  forget(accountId: string): void {
    this.entries.delete(accountId);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * The facts a payment is accepted on, kept in process, at most `entriesMax` accounts, the least
 * recently used forgotten first; a miss reads the database. Client and currency never change. An
 * account is remembered only once the ledger has settled its opening, so the one status change
 * acceptance depends on (opening to active or rejected) is never stale. An account is forgotten on
 * every notification that its owner's consent to credits from other clients changed
 * (ACCOUNT_SETTINGS_CHANNEL, from any replica); the rest is NotifiedCache's.
 */
export class AccountFactsCache
  extends NotifiedCache<AccountFacts | null>
  implements AccountFactsReader
{
  private readonly settled: SettledAccounts;

  constructor(load: (accountId: string) => Promise<AccountFacts | null>, entriesMax: number) {
    const settled = new SettledAccounts(entriesMax);
    super(ACCOUNT_SETTINGS_CHANNEL, load, settled);
    this.settled = settled;
  }

  get size(): number {
    return this.settled.size;
  }

  accountFacts(accountId: string): Promise<AccountFacts | null> {
    return this.get(accountId);
  }
}
