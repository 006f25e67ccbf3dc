import { PrincipalsByKeyHash } from '@rtp/gateway/application';
import { Principal } from '@rtp/gateway/domain';
import { ExpiringLru } from '../notified-cache/expiring-lru';
import { CacheMemory, NotifiedCache } from '../notified-cache/notified-cache';

/**
 * Where every change of gateway.api_keys is announced with the key's hash, by a trigger, at the
 * commit of the transaction that makes it (migration 0011); `*` means any key may have changed.
 */
export const API_KEYS_CHANNEL = 'gateway_api_keys';
const ANY_KEY = '*';
/** A backstop only: a change a notification did not announce is seen after this long at most. */
export const KNOWN_KEY_TTL_MS = 30_000;
/** Repeated unknown keys are answered from memory this long, without reading each time. */
export const UNKNOWN_KEY_TTL_MS = 5_000;

/**
 * Known keys and, apart so that a flood of bad keys cannot push out good ones, as many unknown
 * hashes, each for its time to live; the least recently used is forgotten first.
 */
class KeyMemory implements CacheMemory<Principal | null> {
  readonly known: ExpiringLru<Principal>;
  readonly unknown: ExpiringLru<null>;

  constructor(entriesMax: number) {
    this.known = new ExpiringLru(entriesMax);
    this.unknown = new ExpiringLru(entriesMax);
  }

  get(keyHash: string, nowMs: number) {
    return this.known.get(keyHash, nowMs) ?? this.unknown.get(keyHash, nowMs);
  }

  remember(keyHash: string, principal: Principal | null, readAtMs: number): void {
    this.forget(keyHash);
    if (principal) {
      const copy = { clientId: principal.clientId, scopes: [...principal.scopes] };
      this.known.set(keyHash, copy, readAtMs + KNOWN_KEY_TTL_MS);
    } else {
      this.unknown.set(keyHash, null, readAtMs + UNKNOWN_KEY_TTL_MS);
    }
  }

  forget(keyHash: string): void {
    this.known.delete(keyHash);
    this.unknown.delete(keyHash);
  }

  clear(): void {
    this.known.clear();
    this.unknown.clear();
  }
}

/**
 * The principals of API keys by key hash, kept in process: at most `entriesMax` known keys and at
 * most as many unknown hashes (KeyMemory). A key is forgotten on every notification of its change
 * (API_KEYS_CHANNEL, from any session); the rest is NotifiedCache's.
 */
export class ApiKeyCache extends NotifiedCache<Principal | null> implements PrincipalsByKeyHash {
  private readonly keys: KeyMemory;

  constructor(
    load: (keyHash: string) => Promise<Principal | null>,
    entriesMax: number,
    nowMs: () => number = Date.now,
  ) {
    const keys = new KeyMemory(entriesMax);
    super(API_KEYS_CHANNEL, load, keys, nowMs, ANY_KEY);
    this.keys = keys;
  }

  /** Known and unknown keys held now. */
  get size(): { known: number; unknown: number } {
    return { known: this.keys.known.size, unknown: this.keys.unknown.size };
  }

  findPrincipalByKeyHash(keyHash: string): Promise<Principal | null> {
    return this.get(keyHash);
  }
}
