import { Client } from 'pg';
import { OutcomeNotifications } from '@rtp/gateway/application';
import { OUTCOME_CHANNEL } from './projection/gateway-projection.worker';

const WAITERS_PER_RESOURCE_MAX = 1_000;
const RECONNECT_DELAY_MS_MIN = 250;
const RECONNECT_DELAY_MS_MAX = 10_000;
/** Without a LISTEN connection, waiting requests look at the read model this often instead. */
const POLL_WHILE_DISCONNECTED_MS = 100;

/** Another channel on the same LISTEN connection, told when notifications may have been missed. */
export interface NotificationSubscriber {
  readonly channel: string;
  notified(payload: string): void;
  /** Listening (again): notifications sent while disconnected are lost. */
  connected(): void;
  disconnected(): void;
}

/**
 * Wakes waiting requests when the projection (on any gateway replica) commits a change, through
 * Postgres LISTEN/NOTIFY. The connection is re-established with backoff whenever it drops (a
 * database restart, a network cut); meanwhile waiters poll, and on reconnection every waiter looks
 * again, since notifications sent while disconnected are lost.
 */
export class OutcomeListener implements OutcomeNotifications {
  private client: Client | null = null;
  private readonly waiters = new Map<string, Set<() => void>>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempts = 0;
  private lastError = 'not started';
  private stopping = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: (message: string) => void = () => undefined,
    private readonly subscribers: readonly NotificationSubscriber[] = [],
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async check(): Promise<void> {
    if (!this.client) {
      throw new Error(`outcome listener is not connected (${this.lastError}); reconnecting`);
    }
    await this.client.query('SELECT 1');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    for (const subscriber of this.subscribers) subscriber.disconnected();
    await client?.end().catch(() => undefined);
    this.wakeAll();
  }

  async waitForChange(resourceId: string, timeoutMs: number, isSettled: () => Promise<boolean>):
    Promise<void> {
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
        const remaining = deadline - Date.now();
        const sleepMs = this.client ? remaining : Math.min(remaining, POLL_WHILE_DISCONNECTED_MS);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([woken, new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, sleepMs));
        })]);
        clearTimeout(timer);
      } finally {
        set.delete(wake);
        if (set.size === 0) this.waiters.delete(resourceId);
      }
    }
    // After a wake the next round looks (once registered again); after the last sleep, this look.
    await isSettled();
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl,
      application_name: 'gateway-listener', connectionTimeoutMillis: 5_000, keepAlive: true });
    client.on('notification', (message) => {
      if (!message.payload) return;
      if (message.channel === OUTCOME_CHANNEL) this.wake(message.payload);
      for (const subscriber of this.subscribers) {
        if (subscriber.channel === message.channel) subscriber.notified(message.payload);
      }
    });
    const lost = (error?: Error) => this.lost(client, error);
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTCOME_CHANNEL}`);
      for (const { channel } of this.subscribers) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.reconnectAttempts = 0;
    for (const subscriber of this.subscribers) subscriber.connected();
    // Notifications sent while disconnected are gone: every waiter looks at the read model again.
    this.wakeAll();
  }

  private lost(client: Client, error?: Error): void {
    if (this.stopping) return;
    if (this.client === client) {
      this.client = null;
      for (const subscriber of this.subscribers) subscriber.disconnected();
    }
    this.lastError = error?.message ?? 'connection ended';
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.stopping) return;
    const delay = Math.min(RECONNECT_DELAY_MS_MAX,
      RECONNECT_DELAY_MS_MIN * 2 ** this.reconnectAttempts++);
    this.log(`outcome listener lost its connection (${this.lastError}); ` +
      `reconnecting in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch((error: unknown) => {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.scheduleReconnect();
      });
    }, delay);
  }

  private wake(resourceId: string): void {
    for (const wake of this.waiters.get(resourceId) ?? []) wake();
  }

  private wakeAll(): void {
    for (const resourceId of [...this.waiters.keys()]) this.wake(resourceId);
  }
}
