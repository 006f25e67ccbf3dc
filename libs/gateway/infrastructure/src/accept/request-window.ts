/** What one request of a group came to: its own value, or its own failure. */
export type Settled<Outcome> = { ok: true; value: Outcome } | { ok: false; error: unknown };

export interface RequestWindowOptions {
  /** How long the first request of a group waits for others to join it. */
  windowMs: number;
  /** A group closes at once when it has this many requests. */
  requestsMax: number;
  /** Groups being run at the same time; a closed group waits (and keeps filling) for a slot. */
  groupsInFlightMax: number;
  /** Requests waiting for a group beyond which a new one is refused at once. */
  queuedMax: number;
}

/** The window holds as many requests as it may; the caller answers "try again". */
export class RequestWindowFull extends Error {
  constructor(queuedMax: number) {
    super(`${queuedMax} requests are already waiting to be accepted`);
    this.name = 'RequestWindowFull';
  }
}

interface Pending<Request, Outcome> {
  request: Request;
  arrivedAtMs: number;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the requests that arrive within `windowMs` of the first waiting one (at most
 * `requestsMax`) and runs them as one group. Each request is answered on its own: `run` settles
 * every request of its group separately, and only a failure of `run` itself (one transaction for
 * the group, so the database said no to all of them) fails the whole group, with the same error.
 * Requests keep their order of arrival within and across groups.
 */
export class RequestWindow<Request, Outcome> {
  private readonly queue: Pending<Request, Outcome>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private groupsInFlight = 0;

  constructor(
    private readonly run: (group: readonly Request[]) => Promise<Settled<Outcome>[]>,
    private readonly options: RequestWindowOptions,
  ) {
    if (
      options.windowMs < 0 ||
      options.requestsMax < 1 ||
      options.groupsInFlightMax < 1 ||
      options.queuedMax < options.requestsMax
    ) {
      throw new Error(`invalid request window options ${JSON.stringify(options)}`);
    }
  }

  submit(request: Request): Promise<Outcome> {
    if (this.queue.length >= this.options.queuedMax) {
      return Promise.reject(new RequestWindowFull(this.options.queuedMax));
    }
    return new Promise<Outcome>((resolve, reject) => {
      this.queue.push({ request, arrivedAtMs: Date.now(), resolve, reject });
      this.dispatch();
    });
  }

  /** Starts every group that is due and has a slot; otherwise waits for the head's window. */
  private dispatch(): void {
    while (this.queue.length > 0 && this.groupsInFlight < this.options.groupsInFlightMax) {
      const waitedMs = Date.now() - this.queue[0].arrivedAtMs;
      if (this.queue.length < this.options.requestsMax && waitedMs < this.options.windowMs) {
        this.schedule(this.options.windowMs - waitedMs);
        return;
      }
      void this.runGroup(this.queue.splice(0, this.options.requestsMax));
    }
    if (this.queue.length === 0) this.cancelTimer();
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dispatch();
    }, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async runGroup(group: Pending<Request, Outcome>[]): Promise<void> {
    this.groupsInFlight += 1;
    try {
      const settled = await this.run(group.map((pending) => pending.request));
      if (settled.length !== group.length) {
        throw new Error(
          `a group of ${group.length} requests was settled with ` + `${settled.length} outcomes`,
        );
      }
      group.forEach((pending, index) => {
        const outcome = settled[index];
        if (outcome.ok) pending.resolve(outcome.value);
        else pending.reject(outcome.error);
      });
    } catch (error) {
      for (const pending of group) pending.reject(error);
    } finally {
      this.groupsInFlight -= 1;
      this.dispatch();
    }
  }
}
