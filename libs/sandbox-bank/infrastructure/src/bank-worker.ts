import type { SettleTransfersHandler } from '@rtp/sandbox-bank/application';
import { bankMetrics } from './bank-metrics';
import type { PostgresTransferStore } from './postgres/transfer.store';
import type { WebhookDeliverer } from './webhooks/webhook-deliverer';

type Log = (level: 'info' | 'warn' | 'error', message: string, detail?: unknown) => void;

const KEY_EXPIRY_INTERVAL_MS = 3_600_000;
const KEY_EXPIRY_BATCH_MAX = 1_000;

/**
 * The bank's background work, all of it state in the database so that a restart picks it up:
 * booking and returning due transfers, delivering webhooks, forgetting expired keys. Each loop
 * runs again at once while it finds work, else after `intervalMs`.
 */
export class BankWorker {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private lastExpiry = 0;

  constructor(
    private readonly settle: SettleTransfersHandler,
    private readonly deliverer: WebhookDeliverer | null,
    private readonly transfers: PostgresTransferStore,
    private readonly intervalMs: number,
    private readonly log: Log,
  ) {}

  private async loop(name: string, work: () => Promise<number>): Promise<void> {
    while (!this.stopped) {
      let done = 0;
      try {
        done = await work();
      } catch (error) {
        this.log('error', `${name} failed; retrying`, error);
      }
      if (done === 0 && !this.stopped) {
        await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
      }
    }
  }

  private async settleOnce(): Promise<number> {
    const changes = await this.settle.settleOnce();
    for (const change of changes) bankMetrics.transfers.inc({ status: change.transfer.status });
    const now = Date.now();
    if (now - this.lastExpiry > KEY_EXPIRY_INTERVAL_MS) {
      this.lastExpiry = now;
      await this.transfers.expireKeys(new Date(now), KEY_EXPIRY_BATCH_MAX);
    }
    return changes.length;
  }

  start(): void {
    this.loops.push(this.loop('settling transfers', () => this.settleOnce()));
    const deliverer = this.deliverer;
    if (deliverer) this.loops.push(this.loop('delivering webhooks', () => deliverer.deliverDue()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }
}
