import { CommandRelay } from '@rtp/gateway/application';
import { CommittedPublisher } from './committed-publisher';

/** How long a request waits for its command's publication before it waits for the outcome. */
export const FLUSH_WAIT_MS_MAX = 100;

/** The broker never holds a request longer than FLUSH_WAIT_MS_MAX: its command is durable. */
export function withinFlushWait(published: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    published.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FLUSH_WAIT_MS_MAX);
    }),
  ]).finally(() => clearTimeout(timer));
}
/**
 * The sweep leaves rows younger than this alone: their own process is publishing them right after
 * their commit (on any replica), and marks them within a fraction of it.
 */
const SWEEP_ROW_AGE_MS_MIN = 2_000;

/**
 * Publishes the gateway's outbox where nothing else does. Accepted payments are published right
 * after their commit by the CommittedPublisher; the timer only sweeps rows that were not confirmed
 * published (a crash between commit and publish, a broker outage), and `flush` publishes the rare
 * other commands (account openings, freezes) after their commit. Both go through the same outbox
 * publication, which skips the rows it has in hand. A row published twice is harmless: the ledger
 * dedupes by id.
 */
export class OutboxRelay implements CommandRelay {
  private running: Promise<void> | null = null;
  private rerun = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly committed: CommittedPublisher,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(sweepIntervalMs: number): void {
    this.timer = setInterval(() => {
      void this.sweep();
    }, sweepIntervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Marked now, they are not published again by the next sweep after a restart.
    await this.committed.stop().catch(this.onError);
  }

  /** Marks what was confirmed, then publishes rows left unpublished for a while. */
  private async sweep(): Promise<void> {
    // A drain in progress covers the sweep's rows too; the next tick sweeps again.
    if (this.running) return;
    await this.beginDrain(SWEEP_ROW_AGE_MS_MIN).catch(() => undefined);
  }

  /**
   * Publishes what is in the outbox. Concurrent callers share one drain; a call during a drain
   * triggers one more pass after it. A caller waits for the drain at most FLUSH_WAIT_MS_MAX: the
   * rows are durable, so a stalled broker delays publication (the drain and the sweep go on) but
   * never the request that wrote them.
   */
  async flush(): Promise<void> {
    const running = this.running ?? this.beginDrain(0);
    this.rerun = true;
    await withinFlushWait(running);
  }

  /** One drain at a time: a flush during it asks for one more pass, over rows of any age. */
  private beginDrain(ageMsMin: number): Promise<void> {
    const outbox = this.committed.outbox;
    this.running = (async () => {
      await outbox.recordMarks();
      let age = ageMsMin;
      do {
        this.rerun = false;
        await outbox.sweep({ ageMsMin: age });
        age = 0;
      } while (this.rerun);
    })().finally(() => {
      this.running = null;
    });
    this.running.catch(this.onError);
    return this.running;
  }
}
