import { AccountFacts, AccountFactsReader } from '@rtp/gateway/application';

/** Where a change of the owner's consent is announced, in the transaction that makes it. */
export const ACCOUNT_SETTINGS_CHANNEL = 'gateway_account_settings';

/** One read of an account from the database, shared by the misses that wait for it. */
interface Load {
  facts: Promise<AccountFacts | null>;
  /** An invalidation overtook it: its answer is not remembered, and later misses read again. */
  stale: boolean;
}

/**
 * The facts a payment is accepted on, kept in process, at most `entriesMax` accounts, the least
 * recently used forgotten first; a miss reads the database. Client and currency never change. An
 * account is remembered only once the ledger has settled its opening, so the one status change
 * acceptance depends on (opening to active or rejected) is never stale. An account is forgotten on
 * every notification that its owner's consent to credits from other clients changed
 * (ACCOUNT_SETTINGS_CHANNEL, from any replica), and the cache answers nothing from memory while
 * notifications may be missed (no LISTEN connection). Concurrent misses of one account share one
 * read; a read that an invalidation overtook is answered but not remembered.
 */
export class AccountFactsCache implements AccountFactsReader {
  readonly channel = ACCOUNT_SETTINGS_CHANNEL;
  private readonly entries = new Map<string, AccountFacts>();
  private readonly loads = new Map<string, Load>();
  private listening = false;

  constructor(
    private readonly load: (accountId: string) => Promise<AccountFacts | null>,
    private readonly entriesMax: number,
  ) {
    if (!Number.isInteger(entriesMax) || entriesMax < 1) {
      throw new Error(
        `an account facts cache needs room for at least one account, ` + `not ${entriesMax}`,
      );
    }
  }

  get size(): number {
    return this.entries.size;
  }

  async accountFacts(accountId: string): Promise<AccountFacts | null> {
    const hit = this.listening ? this.entries.get(accountId) : undefined;
    if (hit) {
      // Map keeps insertion order: moving the entry to the end makes the first one the eldest.
      this.entries.delete(accountId);
      this.entries.set(accountId, hit);
      return hit;
    }
    const pending = this.loads.get(accountId);
    if (pending && !pending.stale) return pending.facts;
    const load: Load = { facts: this.load(accountId), stale: false };
    this.loads.set(accountId, load);
    try {
      const facts = await load.facts;
      if (facts && facts.status !== 'opening' && this.listening && !load.stale) {
        this.remember(accountId, facts);
      }
      return facts;
    } finally {
      if (this.loads.get(accountId) === load) this.loads.delete(accountId);
    }
  }

  /** A notification on ACCOUNT_SETTINGS_CHANNEL, or a change made by this process. */
  notified(accountId: string): void {
    this.entries.delete(accountId);
    const load = this.loads.get(accountId);
    if (load) load.stale = true;
  }

  /** The LISTEN connection is up: from now on no change goes unnoticed. */
  connected(): void {
    this.forgetAll();
    this.listening = true;
  }

  /** Notifications may be missed from now on: read the database until connected again. */
  disconnected(): void {
    this.listening = false;
    this.forgetAll();
  }

  private forgetAll(): void {
    this.entries.clear();
    for (const load of this.loads.values()) load.stale = true;
  }

  private remember(accountId: string, facts: AccountFacts): void {
    this.entries.delete(accountId);
    this.entries.set(accountId, {
      id: facts.id,
      clientId: facts.clientId,
      currency: facts.currency,
      status: facts.status,
      acceptsCreditsFromOtherClients: facts.acceptsCreditsFromOtherClients,
    });
    while (this.entries.size > this.entriesMax) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}
