import { Principal } from '@rtp/gateway/domain';
import { ApiKeyCache, KNOWN_KEY_TTL_MS, UNKNOWN_KEY_TTL_MS } from './api-key.cache';
import { databaseStandIn } from '../notified-cache/database-stand-in';
import { ExpiringLru } from '../notified-cache/expiring-lru';

const acme: Principal = { clientId: 'acme', scopes: ['payments'] };

const database = (initial: Record<string, Principal>) => databaseStandIn(Object.entries(initial));

function listeningCache(db: ReturnType<typeof database>, entriesMax = 10) {
  const clock = { nowMs: 1_000_000 };
  const cache = new ApiKeyCache(db.load, entriesMax, () => clock.nowMs);
  cache.connected();
  return { cache, clock };
}

describe('ApiKeyCache', () => {
  describe('while listening for changes', () => {
    it('reads a key once and answers again from memory', async () => {
      const db = database({ k: acme });
      const { cache } = listeningCache(db);
      await cache.findPrincipalByKeyHash('k');
      expect(await cache.findPrincipalByKeyHash('k')).toEqual(acme);
      expect(db.reads).toEqual(['k']);
    });

    it('answers an unknown key from memory for a short time only', async () => {
      const db = database({});
      const { cache, clock } = listeningCache(db);
      for (let attempt = 0; attempt < 5; attempt += 1) await cache.findPrincipalByKeyHash('bad');
      expect(db.reads).toEqual(['bad']);
      clock.nowMs += UNKNOWN_KEY_TTL_MS;
      expect(await cache.findPrincipalByKeyHash('bad')).toBeNull();
      expect(db.reads).toEqual(['bad', 'bad']);
    });

    it('reads a known key again once its time to live is over', async () => {
      const db = database({ k: acme });
      const { cache, clock } = listeningCache(db);
      await cache.findPrincipalByKeyHash('k');
      clock.nowMs += KNOWN_KEY_TTL_MS - 1;
      await cache.findPrincipalByKeyHash('k');
      clock.nowMs += 1;
      await cache.findPrincipalByKeyHash('k');
      expect(db.reads).toEqual(['k', 'k']);
    });

    it('keeps unknown keys apart, so a flood of them does not push out known keys', async () => {
      const db = database({ k: acme });
      const { cache } = listeningCache(db, 2);
      await cache.findPrincipalByKeyHash('k');
      for (const bad of ['x', 'y', 'z']) await cache.findPrincipalByKeyHash(bad);
      await cache.findPrincipalByKeyHash('k');
      expect(db.reads).toEqual(['k', 'x', 'y', 'z']);
      expect(cache.size).toEqual({ known: 1, unknown: 2 });
    });

    it('forgets a key when told it changed: a revoked key is refused at once', async () => {
      const db = database({ k: acme });
      const { cache } = listeningCache(db);
      await cache.findPrincipalByKeyHash('k');
      db.rows.delete('k');
      cache.notified('k');
      expect(await cache.findPrincipalByKeyHash('k')).toBeNull();
    });

    it('forgets an unknown key when told it was created', async () => {
      const db = database({});
      const { cache } = listeningCache(db);
      await cache.findPrincipalByKeyHash('k');
      db.rows.set('k', acme);
      cache.notified('k');
      expect(await cache.findPrincipalByKeyHash('k')).toEqual(acme);
    });

    it('forgets every key when told any key may have changed', async () => {
      const db = database({ k: acme });
      const { cache } = listeningCache(db);
      await cache.findPrincipalByKeyHash('k');
      await cache.findPrincipalByKeyHash('bad');
      cache.notified('*');
      expect(cache.size).toEqual({ known: 0, unknown: 0 });
    });

    it('shares one read among concurrent misses of a key', async () => {
      const db = database({ k: acme });
      const { cache } = listeningCache(db);
      const release = db.holdNextRead();
      const answers = Promise.all([1, 2, 3].map(() => cache.findPrincipalByKeyHash('k')));
      release();
      expect(await answers).toEqual([acme, acme, acme]);
      expect(db.reads).toEqual(['k']);
    });

    it('does not remember a read that a notification overtook', async () => {
      const db = database({ k: acme });
      const { cache } = listeningCache(db);
      const release = db.holdNextRead();
      const before = cache.findPrincipalByKeyHash('k');
      db.rows.delete('k');
      cache.notified('k');
      release();
      expect(await before).toEqual(acme);
      expect(await cache.findPrincipalByKeyHash('k')).toBeNull();
      expect(db.reads).toEqual(['k', 'k']);
    });
  });

  describe('while notifications may be missed', () => {
    it('reads every time before the first connection', async () => {
      const db = database({ k: acme });
      const cache = new ApiKeyCache(db.load, 10);
      await cache.findPrincipalByKeyHash('k');
      await cache.findPrincipalByKeyHash('k');
      expect(db.reads).toEqual(['k', 'k']);
    });

    it('forgets everything when disconnected and reads until connected again', async () => {
      const db = database({ k: acme });
      const { cache } = listeningCache(db);
      await cache.findPrincipalByKeyHash('k');
      cache.disconnected();
      expect(cache.size).toEqual({ known: 0, unknown: 0 });
      await cache.findPrincipalByKeyHash('k');
      await cache.findPrincipalByKeyHash('k');
      cache.connected();
      await cache.findPrincipalByKeyHash('k');
      await cache.findPrincipalByKeyHash('k');
      expect(db.reads).toEqual(['k', 'k', 'k', 'k']);
    });

    it('does not remember a read that began before the connection was restored', async () => {
      const db = database({ k: acme });
      const cache = new ApiKeyCache(db.load, 10);
      const release = db.holdNextRead();
      const before = cache.findPrincipalByKeyHash('k');
      cache.connected();
      release();
      await before;
      expect(cache.size).toEqual({ known: 0, unknown: 0 });
    });
  });
});

describe('ExpiringLru', () => {
  it('forgets the least recently used entry beyond its bound', () => {
    const lru = new ExpiringLru<number>(2);
    lru.set('a', 1, Infinity);
    lru.set('b', 2, Infinity);
    lru.get('a', 0);
    lru.set('c', 3, Infinity);
    expect([lru.get('a', 0), lru.get('b', 0), lru.get('c', 0)]).toEqual([
      { value: 1 },
      undefined,
      { value: 3 },
    ]);
  });

  it('forgets an entry at its expiry', () => {
    const lru = new ExpiringLru<number>(2);
    lru.set('a', 1, 10);
    expect(lru.get('a', 9)).toEqual({ value: 1 });
    expect(lru.get('a', 10)).toBeUndefined();
    expect(lru.size).toBe(0);
  });

  it('needs room for at least one entry', () => {
    expect(() => new ExpiringLru(0)).toThrow(/at least one/);
  });
});
