import { Client } from 'pg';
import { OutcomeNotifications } from '@rtp/gateway/application';
import { OUTCOME_CHANNEL } from './projection/gateway-projection.worker';

const WAITERS_PER_RESOURCE_MAX = 1_000;

/**
 * Wakes waiting requests when the projection (on any gateway replica) commits a change, through
 * Postgres LISTEN/NOTIFY. A lost notification only costs the wait: the read model is checked after.
 */
export class OutcomeListener implements OutcomeNotifications {
  private client: Client | null = null;
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly databaseUrl: string) {}

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'gateway-listener' });
    client.on('notification', (message) => {
      if (message.payload) this.wake(message.payload);
    });
    client.on('error', () => {
      // Waiters fall back to their timeout; readiness reports the broken connection.
      this.client = null;
    });
    await client.connect();
    await client.query(`LISTEN ${OUTCOME_CHANNEL}`);
    this.client = client;
  }

  async check(): Promise<void> {
    if (!this.client) throw new Error('outcome listener is not connected');
    await this.client.query('SELECT 1');
  }

  async stop(): Promise<void> {
    await this.client?.end();
    this.client = null;
    for (const resourceId of [...this.waiters.keys()]) this.wake(resourceId);
  }

  async waitForChange(resourceId: string, timeoutMs: number, isSettled: () => Promise<boolean>): Promise<void> {
    if (timeoutMs <= 0) return;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const set = this.waiters.get(resourceId) ?? new Set();
      if (set.size >= WAITERS_PER_RESOURCE_MAX) return;
      set.add(wake);
      this.waiters.set(resourceId, set);
      try {
        // Checked after registering, so a change committed in between is not missed.
        if (await isSettled()) return;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([woken, new Promise<void>((resolve) => {
          timer = setTimeout(resolve, deadline - Date.now());
        })]);
        clearTimeout(timer);
      } finally {
        set.delete(wake);
        if (set.size === 0) this.waiters.delete(resourceId);
      }
      if (await isSettled()) return;
    }
  }

  private wake(resourceId: string): void {
    for (const wake of this.waiters.get(resourceId) ?? []) wake();
  }
}
