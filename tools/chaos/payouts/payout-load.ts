import { setTimeout as sleep } from 'node:timers/promises';
import { xoroshiro128plus } from 'pure-rand';
import { Pool } from 'undici';
import { BenchClient } from '../../bench/harness/account-setup';
import { networkErrorCode } from '../../bench/harness/request-outcomes';

/** One Idempotency-Key of a payout and everything the gateway answered for it. */
export interface PayoutRecord {
  key: string;
  phase: string;
  client: number;
  sourceAccountId: string;
  amountMinor: number;
  attempts: number;
  /** Distinct payment ids answered for this key: more than one is a duplicate. */
  paymentIds: string[];
  /** A 4xx that retrying cannot change. */
  refusal: string | null;
  /** Read back from the gateway's read model after the drain. */
  finalStatus: string | null;
}

/** One POST /v1/payouts attempt: when it was sent, how long it took, what came back. */
export interface AttemptRecord {
  phase: string;
  sentMs: number;
  latencyMs: number;
  /** The HTTP status, or `no answer <code>`. */
  outcome: string;
}

export const BENEFICIARY = { iban: 'DE50100000000000000001', name: 'Chaos Beneficiary' };
const RETRY_PAUSE_MS_MIN = 200;
const RETRY_PAUSE_MS_MAX = 2_000;
const PAYOUT_AMOUNT_MINOR_MAX = 100;
const UINT32_RANGE = 4_294_967_296;

/**
 * Payouts as a careful client sends them: open loop at a rate, each key retried with the same key
 * and body after a 5xx, a 409, a 429 or no answer, until the gateway accepts it (201 or 202).
 * Accounts and amounts are drawn from a seeded generator.
 */
export class PayoutLoad {
  readonly payouts: PayoutRecord[] = [];
  readonly attempts: AttemptRecord[] = [];
  private readonly random: ReturnType<typeof xoroshiro128plus>;
  private retryDeadlineMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly pool: Pool,
    private readonly clients: BenchClient[],
    private readonly runTag: string,
    seed: number,
    private readonly clock: () => number,
  ) {
    this.random = xoroshiro128plus(seed);
  }

  private uniform(): number {
    return (this.random.unsafeNext() >>> 0) / UINT32_RANGE;
  }

  /**
   * Sends new keys at `ratePerSecond` until `count` were sent or `until()` says stop, then waits
   * for every one of them to be accepted (or the retry deadline set by `giveUpAt`).
   */
  async run(options: {
    phase: string;
    ratePerSecond: number;
    count?: number;
    until?: () => boolean;
    signal: AbortSignal;
  }): Promise<PayoutRecord[]> {
    const { phase, ratePerSecond, count, until, signal } = options;
    const intervalMs = 1_000 / ratePerSecond;
    const startedMs = this.clock();
    const sends: Promise<void>[] = [];
    const own: PayoutRecord[] = [];
    for (let index = 0; count === undefined || index < count; index += 1) {
      if (signal.aborted || (until && until())) break;
      const dueMs = startedMs + index * intervalMs;
      if (dueMs > this.clock()) await sleep(dueMs - this.clock());
      const record = this.newPayout(phase);
      own.push(record);
      sends.push(this.send(record, signal));
    }
    await Promise.all(sends);
    return own;
  }

  /** Keys not yet accepted stop being retried after this clock time. */
  giveUpAt(deadlineMs: number): void {
    this.retryDeadlineMs = deadlineMs;
  }

  private newPayout(phase: string): PayoutRecord {
    const index = this.payouts.length;
    const client = index % this.clients.length;
    const accountIds = this.clients[client].accountIds;
    const record: PayoutRecord = {
      key: `payout-chaos-${this.runTag}-${index}`,
      phase,
      client,
      sourceAccountId: accountIds[Math.floor(this.uniform() * accountIds.length)],
      amountMinor: 1 + Math.floor(this.uniform() * PAYOUT_AMOUNT_MINOR_MAX),
      attempts: 0,
      paymentIds: [],
      refusal: null,
      finalStatus: null,
    };
    this.payouts.push(record);
    return record;
  }

  private async send(record: PayoutRecord, signal: AbortSignal): Promise<void> {
    const body = JSON.stringify({
      sourceAccountId: record.sourceAccountId,
      amount: String(record.amountMinor),
      currency: 'EUR',
      beneficiary: BENEFICIARY,
      reference: `chaos ${record.phase}`,
    });
    for (let failures = 0; ; failures += 1) {
      if (failures > 0) {
        if (this.clock() > this.retryDeadlineMs || signal.aborted) return;
        const pauseMs = Math.min(RETRY_PAUSE_MS_MAX, RETRY_PAUSE_MS_MIN * 2 ** (failures - 1));
        await sleep(pauseMs * (0.5 + Math.random()));
      }
      if (await this.attempt(record, body)) return;
    }
  }

  /** True when this key needs no other attempt (accepted, or refused for good). */
  private async attempt(record: PayoutRecord, body: string): Promise<boolean> {
    record.attempts += 1;
    const sentMs = this.clock();
    const note = (outcome: string) =>
      this.attempts.push({
        phase: record.phase,
        sentMs,
        latencyMs: this.clock() - sentMs,
        outcome,
      });
    try {
      const answer = await this.pool.request({
        method: 'POST',
        path: '/v1/payouts',
        body,
        headers: {
          authorization: `Bearer ${this.clients[record.client].apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': record.key,
        },
      });
      const text = await answer.body.text();
      const status = answer.statusCode;
      note(String(status));
      if (status === 201 || status === 202) {
        const payout = JSON.parse(text) as { id: string };
        if (!record.paymentIds.includes(payout.id)) record.paymentIds.push(payout.id);
        return true;
      }
      if (status >= 500 || status === 409 || status === 429) return false;
      record.refusal = `${status} ${text.slice(0, 200)}`;
      return true;
    } catch (error) {
      note(`no answer ${networkErrorCode(error)}`);
      return false;
    }
  }
}
