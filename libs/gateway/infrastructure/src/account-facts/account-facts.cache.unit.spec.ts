import { AccountFacts } from '@rtp/gateway/application';
import { databaseStandIn } from '../notified-cache/database-stand-in';
import { AccountFactsCache } from './account-facts.cache';

const facts = (id: string, overrides: Partial<AccountFacts> = {}): AccountFacts => ({
  id,
  clientId: 'acme',
  currency: 'EUR',
  status: 'active',
  acceptsCreditsFromOtherClients: false,
  ...overrides,
});

const database = (initial: AccountFacts[]) =>
  databaseStandIn(initial.map((row): [string, AccountFacts] => [row.id, row]));

describe('AccountFactsCache', () => {
  describe('while listening for changes', () => {
    it('reads an account once and answers again from memory', async () => {
      const db = database([facts('a')]);
      const cache = new AccountFactsCache(db.load, 10);
      cache.connected();
      await cache.accountFacts('a');
      expect(await cache.accountFacts('a')).toEqual(facts('a'));
      expect(db.reads).toEqual(['a']);
    });

    it('forgets the least recently used account beyond its bound', async () => {
      const db = database([facts('a'), facts('b'), facts('c')]);
      const cache = new AccountFactsCache(db.load, 2);
      cache.connected();
      for (const id of ['a', 'b', 'a', 'c', 'a', 'b']) await cache.accountFacts(id);
      expect(db.reads).toEqual(['a', 'b', 'c', 'b']);
      expect(cache.size).toBe(2);
    });

    it('reads an account still opening every time, until the ledger settled it', async () => {
      const db = database([facts('a', { status: 'opening' })]);
      const cache = new AccountFactsCache(db.load, 10);
      cache.connected();
      await cache.accountFacts('a');
      db.rows.set('a', facts('a'));
      expect((await cache.accountFacts('a'))?.status).toBe('active');
      await cache.accountFacts('a');
      expect(db.reads).toEqual(['a', 'a']);
    });

    it('remembers nothing about an account that does not exist', async () => {
      const db = database([]);
      const cache = new AccountFactsCache(db.load, 10);
      cache.connected();
      expect(await cache.accountFacts('x')).toBeNull();
      await cache.accountFacts('x');
      expect(db.reads).toEqual(['x', 'x']);
    });
  });

  describe('when several requests miss the same account at once', () => {
    it('reads it once for all of them', async () => {
      const db = database([facts('a')]);
      const cache = new AccountFactsCache(db.load, 10);
      cache.connected();
      const release = db.holdNextRead();
      const reads = [cache.accountFacts('a'), cache.accountFacts('a'), cache.accountFacts('a')];
      release();
      expect(await Promise.all(reads)).toEqual([facts('a'), facts('a'), facts('a')]);
      expect(db.reads).toEqual(['a']);
    });

    it('reads it again for a request that comes after a notified change', async () => {
      const db = database([facts('a')]);
      const cache = new AccountFactsCache(db.load, 10);
      cache.connected();
      const release = db.holdNextRead();
      const before = cache.accountFacts('a');
      db.rows.set('a', facts('a', { acceptsCreditsFromOtherClients: true }));
      cache.notified('a');
      const after = await cache.accountFacts('a');
      release();
      await before;
      expect(after?.acceptsCreditsFromOtherClients).toBe(true);
      expect(db.reads).toEqual(['a', 'a']);
    });
  });

  describe('when a change of the account is notified', () => {
    it('reads the account again', async () => {
      const db = database([facts('a')]);
      const cache = new AccountFactsCache(db.load, 10);
      cache.connected();
      await cache.accountFacts('a');
      db.rows.set('a', facts('a', { acceptsCreditsFromOtherClients: true }));
      cache.notified('a');
      expect((await cache.accountFacts('a'))?.acceptsCreditsFromOtherClients).toBe(true);
    });

    it('does not remember a read that the notification overtook', async () => {
      const db = database([facts('a', { acceptsCreditsFromOtherClients: true })]);
      const cache = new AccountFactsCache(db.load, 10);
      cache.connected();
      const release = db.holdNextRead();
      const read = cache.accountFacts('a');
      db.rows.set('a', facts('a'));
      cache.notified('a');
      release();
      expect((await read)?.acceptsCreditsFromOtherClients).toBe(true);
      expect((await cache.accountFacts('a'))?.acceptsCreditsFromOtherClients).toBe(false);
    });
  });

  describe('when notifications may be missed', () => {
    it('answers from the database only, before connecting and after losing it', async () => {
      const db = database([facts('a')]);
      const cache = new AccountFactsCache(db.load, 10);
      await cache.accountFacts('a');
      await cache.accountFacts('a');
      cache.connected();
      await cache.accountFacts('a');
      await cache.accountFacts('a');
      cache.disconnected();
      await cache.accountFacts('a');
      expect(db.reads).toEqual(['a', 'a', 'a', 'a']);
      expect(cache.size).toBe(0);
    });

    it('does not remember a read that a lost connection overtook', async () => {
      const db = database([facts('a')]);
      const cache = new AccountFactsCache(db.load, 10);
      cache.connected();
      const release = db.holdNextRead();
      const read = cache.accountFacts('a');
      cache.disconnected();
      cache.connected();
      release();
      await read;
      expect(cache.size).toBe(0);
    });
  });

  it('refuses a bound that holds no account', () => {
    expect(() => new AccountFactsCache(async () => null, 0)).toThrow(/at least one/);
  });
});
