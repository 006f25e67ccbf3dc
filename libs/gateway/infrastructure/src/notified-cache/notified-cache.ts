import type { NotificationSubscriber } from '../outcome-listener';

/** Where a NotifiedCache keeps what it read: the memory decides what it keeps, and how long. */
export interface CacheMemory<V> {
  /** The value kept for `key` and still valid at `nowMs`, if any (counted as used). */
  get(key: string, nowMs: number): { value: V } | undefined;
  /** Offers a value read at `readAtMs`; a memory may decline it (then the next miss reads). */
  remember(key: string, value: V, readAtMs: number): void;
  forget(key: string): void;
  clear(): void;
}

/** One read from the database, shared by the misses that wait for it. */
interface Load<V> {
  value: Promise<V>;
  /** A notification overtook it: its answer is not remembered, and later misses read again. */
  stale: boolean;
}

/**
 * Values read from the database, kept in process while every change of them is announced on a
 * LISTEN/NOTIFY channel. A key is forgotten on every notification of its change (from any session;
 * `anyKey` forgets all), and nothing is answered from memory while notifications may be missed (no
 * LISTEN connection). Concurrent misses of one key share one read; a read that a notification
 * overtook is answered but not remembered.
 */
export class NotifiedCache<V> implements NotificationSubscriber {
  private readonly loads = new Map<string, Load<V>>();
  private listening = false;

  constructor(
    readonly channel: string,
    private readonly load: (key: string) => Promise<V>,
    private readonly memory: CacheMemory<V>,
    private readonly nowMs: () => number = Date.now,
    /** A payload that means any key may have changed. */
    private readonly anyKey: string | null = null,
  ) {}

  protected async get(key: string): Promise<V> {
    const hit = this.listening ? this.memory.get(key, this.nowMs()) : undefined;
    if (hit) return hit.value;
    const pending = this.loads.get(key);
    if (pending && !pending.stale) return pending.value;
    const readAtMs = this.nowMs();
    const load: Load<V> = { value: this.load(key), stale: false };
    this.loads.set(key, load);
    try {
      const value = await load.value;
      if (this.listening && !load.stale) this.memory.remember(key, value, readAtMs);
      return value;
    } finally {
      if (this.loads.get(key) === load) this.loads.delete(key);
    }
  }

  /** A notification on the channel, or a change made by this process. */
  notified(key: string): void {
    if (key === this.anyKey) {
      this.forgetAll();
      return;
    }
    this.memory.forget(key);
    const load = this.loads.get(key);
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
    this.memory.clear();
    for (const load of this.loads.values()) load.stale = true;
  }
}
