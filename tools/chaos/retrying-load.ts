import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { BenchClient } from '../bench/harness/account-setup';
import { networkErrorCode } from '../bench/harness/request-outcomes';
import { KeyRecord, LoadWindows } from './load-windows';

/** Keys not yet accepted at most; a new key due beyond this is dropped (and counted). */
const UNACCEPTED_KEYS_MAX = 10_000;
const RETRY_PAUSE_MS_MIN = 200;
const RETRY_PAUSE_MS_MAX = 2_000;
const PAYMENT_AMOUNT_MINOR_MAX = 100;
const TERMINAL = new Set(['completed', 'rejected']);

/**
 * Open-loop payments as a careful client sends them: a new Idempotency-Key every 1/rate seconds
 * whatever happened to the others, each retried with the same key and body after a 5xx, a 409,
 * a 429 or no answer at all, until the gateway accepts it (201 or 202).
 */
export class RetryingLoad {
  readonly keys: KeyRecord[] = [];
  dropped = 0;
  private unaccepted = 0;
  private running = false;
  private retryDeadlineMs = Number.POSITIVE_INFINITY;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly clients: BenchClient[],
    private readonly ratePerSecond: number,
    private readonly runTag: string,
    readonly windows: LoadWindows,
    private readonly clock: () => number,
  ) {}

  start(): void {
    this.running = true;
    const startedMs = this.clock();
    const intervalMs = 1_000 / this.ratePerSecond;
    let next = 0;
    const tick = () => {
      if (!this.running) return;
      while (startedMs + next * intervalMs <= this.clock()) {
        if (this.unaccepted >= UNACCEPTED_KEYS_MAX) this.dropped += 1;
        else this.loops.push(this.send(this.newKey(next)));
        next += 1;
      }
      setTimeout(tick, Math.max(0, startedMs + next * intervalMs - this.clock()));
    };
    tick();
  }

  /** No new keys; the unaccepted ones keep being retried until `deadlineMs` (clock time). */
  async stop(deadlineMs: number): Promise<void> {
    this.running = false;
    this.retryDeadlineMs = deadlineMs;
    await Promise.all(this.loops);
  }

  private newKey(index: number): KeyRecord {
    const client = index % this.clients.length;
    const accountIds = this.clients[client].accountIds;
    const source = Math.floor(Math.random() * accountIds.length);
    const destination =
      (source + 1 + Math.floor(Math.random() * (accountIds.length - 1))) % accountIds.length;
    const record: KeyRecord = {
      key: `chaos-${this.runTag}-${index}`,
      client,
      sourceAccountId: accountIds[source],
      destinationAccountId: accountIds[destination],
      amountMinor: 1 + Math.floor(Math.random() * PAYMENT_AMOUNT_MINOR_MAX),
      firstSentMs: this.clock(),
      window: this.windows.current,
      attempts: 0,
      paymentIds: [],
      acceptedMs: null,
      answeredStatus: null,
      refusal: null,
      finalStatus: null,
    };
    this.keys.push(record);
    return record;
  }

  private async send(record: KeyRecord): Promise<void> {
    this.unaccepted += 1;
    const body = JSON.stringify({
      sourceAccountId: record.sourceAccountId,
      destinationAccountId: record.destinationAccountId,
      amount: String(record.amountMinor),
      currency: 'EUR',
      reference: 'chaos',
    });
    try {
      for (let failures = 0; ; failures += 1) {
        if (failures > 0) {
          if (this.clock() > this.retryDeadlineMs) return;
          const pauseMs = Math.min(RETRY_PAUSE_MS_MAX, RETRY_PAUSE_MS_MIN * 2 ** (failures - 1));
          await sleep(pauseMs * (0.5 + Math.random()));
        }
        if (await this.attempt(record, body)) return;
      }
    } finally {
      this.unaccepted -= 1;
    }
  }

  /** True when this key needs no other attempt (accepted, or refused for good). */
  private async attempt(record: KeyRecord, body: string): Promise<boolean> {
    record.attempts += 1;
    const sentMs = this.clock();
    try {
      const answer = await this.pool.request({
        method: 'POST',
        path: '/v1/payments',
        body,
        headers: {
          authorization: `Bearer ${this.clients[record.client].apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': record.key,
        },
      });
      const text = await answer.body.text();
      const answeredMs = this.clock();
      const status = answer.statusCode;
      this.windows.recordAnswer(status, answeredMs - sentMs, problemCode(text));
      if (status === 201 || status === 202) {
        const payment = JSON.parse(text) as { id: string; status: string };
        if (!record.paymentIds.includes(payment.id)) record.paymentIds.push(payment.id);
        record.acceptedMs ??= answeredMs;
        record.answeredStatus = payment.status;
        const replayed = answer.headers['idempotent-replayed'] === 'true';
        if (status === 201 && TERMINAL.has(payment.status) && !replayed) {
          this.windows.recordEndToEnd(sentMs, answeredMs);
        }
        return true;
      }
      if (status >= 500 || status === 409 || status === 429) return false;
      record.refusal = `${status} ${text.slice(0, 200)}`;
      return true;
    } catch (error) {
      this.windows.recordNoAnswer(networkErrorCode(error), this.clock() - sentMs);
      return false;
    }
  }
}

function problemCode(text: string): string | null {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}
