import { Client } from 'pg';
import { OutcomeNotifications, OutcomeWatch } from '@rtp/gateway/application';
import { OutcomeWatches } from './outcome-watches';
import { OUTCOME_CHANNEL } from './projection/gateway-projection.worker';
import { parseOutcomeNotification } from './outcome-notification';

const WATCHES_PER_RESOURCE_MAX = 1_000;
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
 * database restart, a network cut); meanwhile waiters poll, and on reconnection every watch is
 * woken, since notifications sent while disconnected are lost.
 */
export class OutcomeListener implements OutcomeNotifications {
  private client: Client | null = null;
  private readonly watches = new OutcomeWatches({
    listening: () => this.client !== null,
    pollWhileDisconnectedMs: POLL_WHILE_DISCONNECTED_MS,
    watchesPerResourceMax: WATCHES_PER_RESOURCE_MAX,
  });
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
    this.watches.wakeAll();
  }

  watch(resourceId: string): OutcomeWatch {
    return this.watches.watch(resourceId);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: 'gateway-listener',
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (!message.payload) return;
      if (message.channel === OUTCOME_CHANNEL) {
        const { resourceId, payment } = parseOutcomeNotification(message.payload);
        this.watches.wake(resourceId, payment);
      }
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
    // Notifications sent while disconnected are gone: every watch looks at the read model again.
    this.watches.wakeAll();
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
    const delay = Math.min(
      RECONNECT_DELAY_MS_MAX,
      RECONNECT_DELAY_MS_MIN * 2 ** this.reconnectAttempts++,
    );
    this.log(
      `outcome listener lost its connection (${this.lastError}); ` + `reconnecting in ${delay} ms`,
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch((error: unknown) => {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.scheduleReconnect();
      });
    }, delay);
  }
}
