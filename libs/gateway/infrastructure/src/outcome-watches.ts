import { OutcomeWatch, PaymentOutcome, WaitOptions } from '@rtp/gateway/application';

export interface OutcomeWatchesOptions {
  /** Whether notifications arrive now; while they may be missed, waits poll instead. */
  listening: () => boolean;
  /** How often a wait looks at the read model while notifications may be missed. */
  pollWhileDisconnectedMs: number;
  /** Watches of one resource at most; one more is refused (its wait returns at once). */
  watchesPerResourceMax: number;
}

/** What a watch has been told since its last look. */
interface Watcher {
  /** A change may have been made since the last look (or since the watch began). */
  woken: boolean;
  /** Ends the wait's current sleep, if it is asleep. */
  interrupt: (() => void) | null;
  closed: boolean;
  /** The outcome a notification carried, kept once told (a terminal outcome does not change). */
  told: PaymentOutcome | null;
}

/** Refused by the bound of watches per resource: the caller reads once for itself. */
const UNWATCHED: OutcomeWatch = {
  wait: async () => undefined,
  close: () => undefined,
  told: () => null,
};

/**
 * The bookkeeping of requests waiting for read models: a watch is registered before the change it
 * waits for can be made, and records a wake that comes before its wait begins, so no change is
 * missed whichever comes first. A wait looks at the read model only when it has reason to.
 */
export class OutcomeWatches {
  private readonly watchers = new Map<string, Set<Watcher>>();

  constructor(private readonly options: OutcomeWatchesOptions) {}

  /** Resources watched now (for tests). */
  get size(): number {
    return this.watchers.size;
  }

  watch(resourceId: string): OutcomeWatch {
    const set = this.watchers.get(resourceId) ?? new Set<Watcher>();
    if (set.size >= this.options.watchesPerResourceMax) return UNWATCHED;
    const watcher: Watcher = { woken: false, interrupt: null, closed: false, told: null };
    set.add(watcher);
    this.watchers.set(resourceId, set);
    return {
      told: () => watcher.told,
      wait: (timeoutMs, isSettled, waitOptions) =>
        this.wait(watcher, timeoutMs, isSettled, waitOptions),
      close: () => {
        if (watcher.closed) return;
        watcher.closed = true;
        watcher.interrupt?.();
        set.delete(watcher);
        if (set.size === 0 && this.watchers.get(resourceId) === set)
          this.watchers.delete(resourceId);
      },
    };
  }

  /** The read model of `resourceId` may have changed (to `told`, when the notification said). */
  wake(resourceId: string, told: PaymentOutcome | null = null): void {
    for (const watcher of this.watchers.get(resourceId) ?? []) {
      watcher.woken = true;
      watcher.told ??= told;
      watcher.interrupt?.();
    }
  }

  /** Notifications may have been missed: every watch looks again. */
  wakeAll(): void {
    for (const resourceId of [...this.watchers.keys()]) this.wake(resourceId);
  }

  private async wait(
    watcher: Watcher,
    timeoutMs: number,
    isSettled: () => Promise<boolean>,
    { lookFirst }: WaitOptions,
  ): Promise<void> {
    if (timeoutMs <= 0 || watcher.closed) return;
    const deadline = Date.now() + timeoutMs;
    let look = lookFirst;
    for (;;) {
      // Without a LISTEN connection a change may go untold, so every round looks (polling).
      const looking = look || watcher.woken || !this.options.listening();
      if (looking) {
        // Cleared before the look: a wake during it makes the next round look again.
        watcher.woken = false;
        if (await isSettled()) return;
      }
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) {
        // The wait ends on a look at the read model: callers take that look as their answer.
        if (!looking) await isSettled();
        return;
      }
      if (!watcher.woken) {
        await this.sleep(
          watcher,
          this.options.listening()
            ? remainingMs
            : Math.min(remainingMs, this.options.pollWhileDisconnectedMs),
        );
        if (watcher.closed) return;
      }
      // Whatever ended the sleep (a wake, a poll, the deadline, a reconnection), the next round looks.
      look = true;
    }
  }

  private sleep(watcher: Watcher, sleepMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        watcher.interrupt = null;
        resolve();
      };
      const timer = setTimeout(finish, sleepMs);
      watcher.interrupt = finish;
    });
  }
}
