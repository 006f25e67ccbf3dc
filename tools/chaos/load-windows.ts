import { increment } from '../bench/harness/request-outcomes';

/** One Idempotency-Key of the load and everything the gateway answered for it. */
export interface KeyRecord {
  key: string;
  client: number;
  sourceAccountId: string;
  destinationAccountId: string;
  amountMinor: number;
  firstSentMs: number;
  /** The window (fault) during which the key was first sent. */
  window: number;
  attempts: number;
  /** Distinct payment ids answered for this key: more than one is a duplicate. */
  paymentIds: string[];
  acceptedMs: number | null;
  /** The status in the last 201/202 answer. */
  answeredStatus: string | null;
  /** A 4xx that retrying cannot change. */
  refusal: string | null;
  /** Read back from the read model after the drain. */
  finalStatus: string | null;
}

/** What the gateway answered while one fault (or the baseline) was current, by answer time. */
export interface WindowStats {
  name: string;
  startMs: number;
  answers: number;
  serverErrors: number;
  /** 409 (key in flight) and 429: retried like 5xx, counted apart. */
  retriedClientErrors: number;
  noAnswer: number;
  latencyMaxMs: number;
  problems: Record<string, number>;
}

interface Waiter {
  sinceMs: number;
  resolve: (answeredMs: number | null) => void;
}

/** The load's answers split by fault, and the first payment confirmed end to end after a time. */
export class LoadWindows {
  readonly stats: WindowStats[] = [];
  current = -1;
  private waiters: Waiter[] = [];

  /** @param onEnter called as each window begins (e.g. to mark the logs' positions) */
  constructor(private readonly onEnter: (index: number) => void = () => undefined) {}

  enter(name: string, startMs: number): number {
    this.stats.push({
      name,
      startMs,
      answers: 0,
      serverErrors: 0,
      retriedClientErrors: 0,
      noAnswer: 0,
      latencyMaxMs: 0,
      problems: {},
    });
    this.current = this.stats.length - 1;
    this.onEnter(this.current);
    return this.current;
  }

  private get window(): WindowStats | undefined {
    return this.stats[this.current];
  }

  recordAnswer(status: number, latencyMs: number, code: string | null): void {
    const window = this.window;
    if (!window) return;
    window.answers += 1;
    window.latencyMaxMs = Math.max(window.latencyMaxMs, latencyMs);
    if (status >= 500) window.serverErrors += 1;
    if (status === 409 || status === 429) window.retriedClientErrors += 1;
    if (status >= 400) increment(window.problems, `${status} ${code ?? ''}`.trim());
  }

  recordNoAnswer(code: string, latencyMs: number): void {
    const window = this.window;
    if (!window) return;
    window.noAnswer += 1;
    window.latencyMaxMs = Math.max(window.latencyMaxMs, latencyMs);
    increment(window.problems, `no answer ${code}`);
  }

  /** A 201 with a terminal status, not replayed: the whole pipeline worked for this attempt. */
  recordEndToEnd(sentMs: number, answeredMs: number): void {
    this.waiters = this.waiters.filter((waiter) => {
      if (sentMs < waiter.sinceMs) return true;
      waiter.resolve(answeredMs);
      return false;
    });
  }

  /**
   * Clock time of the first end-to-end answer to an attempt sent at or after sinceMs; null after
   * the timeout or an abort.
   */
  waitForEndToEnd(sinceMs: number, timeoutMs: number, signal: AbortSignal): Promise<number | null> {
    return new Promise((resolve) => {
      const giveUp = () => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        finish(null);
      };
      const timer = setTimeout(giveUp, timeoutMs);
      const finish = (answeredMs: number | null) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', giveUp);
        resolve(answeredMs);
      };
      const waiter: Waiter = { sinceMs, resolve: finish };
      signal.addEventListener('abort', giveUp, { once: true });
      this.waiters.push(waiter);
      if (signal.aborted) giveUp();
    });
  }
}
