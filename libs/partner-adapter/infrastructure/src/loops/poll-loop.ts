import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A loop that runs `round` until stopped: immediately again when it did work, after `idleMs`
 * when it did none, after a backoff when it failed (the database away, say).
 */
export class PollLoop {
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly name: string,
    private readonly round: () => Promise<boolean>,
    private readonly idleMs: number,
    private readonly log: (level: 'warn', message: string, detail?: unknown) => void,
  ) {}

  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let delayMs = 0;
      try {
        const worked = await this.round();
        failures = 0;
        if (!worked) delayMs = this.idleMs;
      } catch (error) {
        failures += 1;
        delayMs = Math.min(10_000, 200 * 2 ** Math.min(failures, 6));
        this.log('warn', `${this.name} round failed; retrying in ${delayMs} ms`, error);
      }
      if (delayMs > 0 && !this.stopped) {
        await sleep(delayMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }
}
