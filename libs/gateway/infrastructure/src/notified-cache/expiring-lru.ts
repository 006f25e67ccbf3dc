interface Entry<V> {
  value: V;
  expiresAtMs: number;
}

/**
 * At most `entriesMax` values, each until its expiry; beyond the bound the least recently used is
 * forgotten first. A Map keeps insertion order, so re-inserting on use makes the first the eldest.
 */
export class ExpiringLru<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly entriesMax: number) {
    if (!Number.isInteger(entriesMax) || entriesMax < 1) {
      throw new Error(`a cache needs room for at least one entry, not ${entriesMax}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, if present and unexpired at `nowMs`; an expired one is forgotten. */
  get(key: string, nowMs: number): { value: V } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAtMs <= nowMs) return undefined;
    this.entries.set(key, entry);
    return { value: entry.value };
  }

  set(key: string, value: V, expiresAtMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAtMs });
    while (this.entries.size > this.entriesMax) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
