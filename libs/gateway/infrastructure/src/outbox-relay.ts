import { DataSource } from 'typeorm';
import { CommandRelay } from '@rtp/gateway/application';
import { ResettableProducer } from '@rtp/shared/kafka';

const PAGE_SIZE = 500;
/** How long a request waits for its command's publication before it waits for the outcome. */
const FLUSH_WAIT_MS_MAX = 100;

interface OutboxRow {
  outbox_id: string;
  topic: string;
  message_key: string;
  message_id: string;
  message_type: string;
  payload: Record<string, unknown>;
}

/**
 * Publishes the gateway's outbox. Requests flush right after their commit; a timer sweeps whatever a
 * crash or a broker outage left behind. A row published twice is harmless: the ledger dedupes by id.
 */
export class OutboxRelay implements CommandRelay {
  private running: Promise<void> | null = null;
  private rerun = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: ResettableProducer,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(sweepIntervalMs: number): void {
    this.timer = setInterval(() => {
      void this.flush();
    }, sweepIntervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Publishes what is in the outbox. Concurrent callers share one drain; a call during a drain
   * triggers one more pass after it. A caller waits for the drain at most FLUSH_WAIT_MS_MAX: the rows
   * are durable, so a stalled broker delays publication (the drain and the sweep go on) but never the
   * request that wrote them.
   */
  async flush(): Promise<void> {
    if (this.running) {
      this.rerun = true;
    } else {
      this.running = this.drain().finally(() => {
        this.running = null;
      });
      this.running.catch(this.onError);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running.catch(() => undefined), new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FLUSH_WAIT_MS_MAX);
    })]);
    clearTimeout(timer);
  }

  private async drain(): Promise<void> {
    do {
      this.rerun = false;
      for (;;) {
        const rows: OutboxRow[] = await this.dataSource.query(
          `SELECT outbox_id, topic, message_key, message_id, message_type, payload FROM gateway.outbox
           WHERE published_at IS NULL ORDER BY outbox_id LIMIT $1`,
          [PAGE_SIZE],
        );
        if (rows.length === 0) break;
        await this.producer.publish(rows.map((row) => ({
          id: row.outbox_id, topic: row.topic, key: row.message_key, messageId: row.message_id,
          messageType: row.message_type, value: Buffer.from(JSON.stringify(row.payload), 'utf8'),
        })));
        await this.dataSource.query('UPDATE gateway.outbox SET published_at = now() WHERE outbox_id = ANY($1)',
          [rows.map((row) => row.outbox_id)]);
        if (rows.length < PAGE_SIZE) break;
      }
    } while (this.rerun);
  }
}
