import { GatewayStore } from '@rtp/gateway/application';
import { Principal } from '@rtp/gateway/domain';
import { ExpiringLru } from './expiring-lru';

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

/** One read of a key from the database, shared by the misses that wait for it. */
interface Load {
  principal: Promise<Principal | null>;
  /** A notification overtook it: its answer is not remembered, and later misses read again. */
  stale: boolean;
}

/**
 * The principals of API keys by key hash, kept in process: at most `entriesMax` known keys and,
 * apart so that a flood of bad keys cannot push out good ones, at most as many unknown hashes; the
 * least recently used is forgotten first. A key is forgotten on every notification of its change
 * (API_KEYS_CHANNEL, from any session), and nothing is answered from memory while notifications
 * may be missed (no LISTEN connection). Concurrent misses of one key share one read; a read that a
 * notification overtook is answered but not remembered.
 */
export class ApiKeyCache implements Pick<GatewayStore, 'findPrincipalByKeyHash'> {
  readonly channel = API_KEYS_CHANNEL;
  private readonly known: ExpiringLru<Principal>;
  private readonly unknown: ExpiringLru<null>;
  private readonly loads = new Map<string, Load>();
  private listening = false;

  constructor(
    private readonly load: (keyHash: string) => Promise<Principal | null>,
    entriesMax: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.known = new ExpiringLru(entriesMax);
    this.unknown = new ExpiringLru(entriesMax);
  }

  /** Known and unknown keys held now. */
  get size(): { known: number; unknown: number } {
    return { known: this.known.size, unknown: this.unknown.size };
  }

  async findPrincipalByKeyHash(keyHash: string): Promise<Principal | null> {
    if (this.listening) {
      const nowMs = this.nowMs();
      const hit = this.known.get(keyHash, nowMs) ?? this.unknown.get(keyHash, nowMs);
      if (hit) return hit.value;
    }
    const pending = this.loads.get(keyHash);
    if (pending && !pending.stale) return pending.principal;
    const readAtMs = this.nowMs();
    const load: Load = { principal: this.load(keyHash), stale: false };
    this.loads.set(keyHash, load);
    try {
      const principal = await load.principal;
      if (this.listening && !load.stale) this.remember(keyHash, principal, readAtMs);
      return principal;
    } finally {
      if (this.loads.get(keyHash) === load) this.loads.delete(keyHash);
    }
  }

  /** A notification on API_KEYS_CHANNEL, or a key created by this process. */
  notified(keyHash: string): void {
    if (keyHash === ANY_KEY) {
      this.forgetAll();
      return;
    }
    this.known.delete(keyHash);
    this.unknown.delete(keyHash);
    const load = this.loads.get(keyHash);
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
    this.known.clear();
    this.unknown.clear();
    for (const load of this.loads.values()) load.stale = true;
  }

  private remember(keyHash: string, principal: Principal | null, readAtMs: number): void {
    this.known.delete(keyHash);
    this.unknown.delete(keyHash);
    if (principal) {
      this.known.set(
        keyHash,
        { clientId: principal.clientId, scopes: [...principal.scopes] },
        readAtMs + KNOWN_KEY_TTL_MS,
      );
    } else {
      this.unknown.set(keyHash, null, readAtMs + UNKNOWN_KEY_TTL_MS);
    }
  }
}
