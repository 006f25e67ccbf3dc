import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { BenchClient } from '../harness/account-setup';
import { LatencyRecorder } from './latency-recorder';
import { increment, networkErrorCode } from '../harness/request-outcomes';
import {
  OutcomeCounts,
  OutcomeDetails,
  classifyAnswer,
  emptyCounts,
  emptyDetails,
} from './outcome-counts';

export interface LoadStep {
  ratePerSecond: number;
  durationMs: number;
  outstandingMax: number;
  /** Unique per step, so that every request carries a fresh Idempotency-Key. */
  keyPrefix: string;
  signal: AbortSignal;
}

/** A 202's payment and who may read it back. */
export interface AcceptedPayment {
  id: string;
  client: number;
}

const PAYMENT_AMOUNT_MINOR_MAX = 100;
/** The 202s whose fate is checked afterwards: enough for a sample, bounded in memory. */
const ACCEPTED_KEPT_MAX = 20_000;

/**
 * Open-loop load: request i is due at start + i / rate whatever happened to the others, and its
 * latency runs from that intended time to the end of the answer, so a slow server (or a late
 * generator) shows in the figures instead of silently lowering the rate (no coordinated omission).
 */
export class OpenLoopLoad {
  readonly planned: number;
  readonly counts: OutcomeCounts = emptyCounts();
  readonly details: OutcomeDetails = emptyDetails();
  /** Every HTTP answer, whatever its status. */
  readonly answered: LatencyRecorder;
  /** 201 answers only (completed or rejected): the confirmed payments. */
  readonly confirmed: LatencyRecorder;
  /** How late the generator handed each request to the HTTP client: its own health. */
  readonly sendLag: LatencyRecorder;
  readonly acceptedPayments: AcceptedPayment[] = [];
  sent = 0;
  outstanding = 0;
  outstandingPeak = 0;
  startAt = 0;
  lastAnswerAt = 0;
  private next = 0;
  private scheduleDone = false;
  private idle: (() => void) | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly clients: BenchClient[],
    private readonly step: LoadStep,
  ) {
    this.planned = Math.round((step.ratePerSecond * step.durationMs) / 1_000);
    this.answered = new LatencyRecorder(this.planned);
    this.confirmed = new LatencyRecorder(this.planned);
    this.sendLag = new LatencyRecorder(this.planned);
  }

  /** Resolves once every request was sent (or dropped) and every sent one has ended. */
  run(): Promise<void> {
    this.startAt = performance.now() + 1;
    this.lastAnswerAt = this.startAt;
    const finished = new Promise<void>((resolve) => {
      this.idle = resolve;
    });
    setTimeout(() => this.tick(), 1);
    return finished;
  }

  private tick(): void {
    const now = performance.now();
    const intervalMs = 1_000 / this.step.ratePerSecond;
    while (this.next < this.planned && !this.step.signal.aborted) {
      const intended = this.startAt + this.next * intervalMs;
      if (intended > now) break;
      if (this.outstanding >= this.step.outstandingMax) this.counts.dropped += 1;
      else void this.send(this.next, intended, now);
      this.next += 1;
    }
    if (this.next >= this.planned || this.step.signal.aborted) {
      this.scheduleDone = true;
      this.resolveIfIdle();
      return;
    }
    const untilNext = this.startAt + this.next * intervalMs - performance.now();
    setTimeout(() => this.tick(), Math.max(0, untilNext));
  }

  private async send(index: number, intended: number, now: number): Promise<void> {
    this.outstanding += 1;
    this.sent += 1;
    this.outstandingPeak = Math.max(this.outstandingPeak, this.outstanding);
    this.sendLag.recordMilliseconds(now - intended);
    const clientIndex = index % this.clients.length;
    const client = this.clients[clientIndex];
    try {
      const answer = await this.pool.request({
        method: 'POST',
        path: '/v1/payments',
        headers: {
          authorization: `Bearer ${client.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': `${this.step.keyPrefix}-${index}`,
        },
        body: paymentBody(client.accountIds),
        signal: this.step.signal,
      });
      const text = await answer.body.text();
      const end = performance.now();
      this.lastAnswerAt = Math.max(this.lastAnswerAt, end);
      this.answered.recordMilliseconds(end - intended);
      if (answer.statusCode === 201) this.confirmed.recordMilliseconds(end - intended);
      const acceptedId = classifyAnswer(answer.statusCode, text, this.counts, this.details);
      if (acceptedId && this.acceptedPayments.length < ACCEPTED_KEPT_MAX) {
        this.acceptedPayments.push({ id: acceptedId, client: clientIndex });
      }
    } catch (error) {
      this.lastAnswerAt = Math.max(this.lastAnswerAt, performance.now());
      this.counts.networkErrors += 1;
      increment(this.details.networkErrors, networkErrorCode(error));
    } finally {
      this.outstanding -= 1;
      this.resolveIfIdle();
    }
  }

  private resolveIfIdle(): void {
    if (this.scheduleDone && this.outstanding === 0) this.idle?.();
  }
}

/** A small payment between two different random accounts of the same client. */
function paymentBody(accountIds: string[]): string {
  const source = Math.floor(Math.random() * accountIds.length);
  const offset = 1 + Math.floor(Math.random() * (accountIds.length - 1));
  const destination = (source + offset) % accountIds.length;
  return JSON.stringify({
    sourceAccountId: accountIds[source],
    destinationAccountId: accountIds[destination],
    amount: String(1 + Math.floor(Math.random() * PAYMENT_AMOUNT_MINOR_MAX)),
    currency: 'EUR',
    reference: 'api-bench',
  });
}
