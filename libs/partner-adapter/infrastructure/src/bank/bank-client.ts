import CircuitBreaker from 'opossum';
import { BankTransferRequest } from '@rtp/contracts';
import {
  CallFailure,
  CallOutcome,
  classifyFailure,
  outcomeLabel,
} from '@rtp/partner-adapter/domain';
import { traceparentOf } from '@rtp/shared/tracing';
import { adapterMetrics } from '../adapter-metrics';

export type CallKind = 'create' | 'status';

export interface BreakerSettings {
  /** The breaker's own timeout per call; it does not cancel the call (the outcome is unknown). */
  timeoutMs: number;
  /** Failures (5xx, timeouts, resets, refusals) in the rolling window that open the breaker. */
  errorThresholdPercentage: number;
  /** How long it stays open before one probe is let through (half-open). */
  resetTimeoutMs: number;
  /** Calls in the window before the threshold applies. */
  volumeThreshold: number;
  rollingCountTimeoutMs: number;
}

export interface BankClientOptions {
  baseUrl: string;
  apiKey: string;
  partnerId: string;
  breakers: Record<CallKind, BreakerSettings>;
  log: (level: 'info' | 'warn', message: string) => void;
}

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  idempotencyKey?: string;
  body?: unknown;
  transportTimeoutMs: number;
}

interface Answer {
  status: number;
  body: unknown;
}

const STATE_VALUES = { closed: 0, halfOpen: 1, open: 2 } as const;

/** A 5xx is a failure for the breaker, and an unknown outcome for the payout. */
class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`bank answered ${status}`);
  }
}

function failureOf(error: unknown): CallFailure {
  const failure = error as { code?: string; name?: string; message?: string; cause?: unknown };
  const cause = failure.cause as { code?: string; name?: string } | undefined;
  if (error instanceof ServerError) {
    return { code: undefined, name: undefined, message: error.message, status: error.status };
  }
  const code = failure.code ?? cause?.code;
  return {
    code,
    name: cause?.name ?? failure.name,
    message: failure.message ?? String(error),
    // opossum's own timeout: ETIMEDOUT with its own message; the call itself goes on.
    breakerTimeout: code === 'ETIMEDOUT' && /^Timed out after/.test(failure.message ?? ''),
  };
}

/** The partner bank's REST API behind one opossum breaker per call kind. */
export class BankClient {
  private readonly breakers: Record<CallKind, CircuitBreaker<[RequestSpec], Answer>>;

  constructor(private readonly options: BankClientOptions) {
    this.breakers = { create: this.breaker('create'), status: this.breaker('status') };
  }

  /** `POST /v1/transfers` under our key, which is always the payout's payment id. */
  createTransfer(paymentId: string, request: BankTransferRequest): Promise<CallOutcome> {
    return this.call('create', {
      method: 'POST',
      path: '/v1/transfers',
      idempotencyKey: paymentId,
      body: request,
      transportTimeoutMs: this.options.breakers.create.timeoutMs * 2,
    });
  }

  /** `GET /v1/transfers?endToEndId=`: the bank's word on our reference. */
  findTransfers(endToEndId: string): Promise<CallOutcome> {
    return this.call('status', {
      method: 'GET',
      path: `/v1/transfers?endToEndId=${encodeURIComponent(endToEndId)}`,
      transportTimeoutMs: this.options.breakers.status.timeoutMs * 2,
    });
  }

  /** Whether calls of this kind are refused now (open, not yet half-open). */
  isOpen(kind: CallKind): boolean {
    return this.breakers[kind].opened;
  }

  /**
   * How many calls of this kind the breaker lets through now: any number while closed, one while
   * half-open and its probe not yet taken, none otherwise. Its state changes only when a call
   * ends or its reset timer opens it to a probe, so a caller whose earlier calls all ended can
   * claim that many and have each let through.
   */
  callsAllowed(kind: CallKind): number {
    const breaker = this.breakers[kind];
    if (breaker.closed) return Number.POSITIVE_INFINITY;
    return breaker.halfOpen && breaker.pendingClose ? 1 : 0;
  }

  shutdown(): void {
    for (const breaker of Object.values(this.breakers)) breaker.shutdown();
  }

  private async call(kind: CallKind, spec: RequestSpec): Promise<CallOutcome> {
    const started = process.hrtime.bigint();
    let outcome: CallOutcome;
    try {
      const answer = await this.breakers[kind].fire(spec);
      outcome = { kind: 'answered', status: answer.status, body: answer.body };
    } catch (error) {
      outcome = classifyFailure(failureOf(error));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    adapterMetrics.callSeconds.observe(
      { partner: this.options.partnerId, call_kind: kind, outcome: outcomeLabel(outcome) },
      seconds,
    );
    return outcome;
  }

  private async send(spec: RequestSpec): Promise<Answer> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: 'application/json',
    };
    if (spec.idempotencyKey) headers['idempotency-key'] = spec.idempotencyKey;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    // The payout's trace, when the caller runs the call in it (see PayoutSender, PayoutChecker).
    const traceparent = traceparentOf();
    if (traceparent) headers.traceparent = traceparent;
    const response = await fetch(`${this.options.baseUrl}${spec.path}`, {
      method: spec.method,
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal: AbortSignal.timeout(spec.transportTimeoutMs),
    });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (response.status >= 500) throw new ServerError(response.status, body);
    return { status: response.status, body };
  }

  private breaker(kind: CallKind): CircuitBreaker<[RequestSpec], Answer> {
    const settings = this.options.breakers[kind];
    const breaker = new CircuitBreaker((spec: RequestSpec) => this.send(spec), {
      name: `${this.options.partnerId}-${kind}`,
      timeout: settings.timeoutMs,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      resetTimeout: settings.resetTimeoutMs,
      volumeThreshold: settings.volumeThreshold,
      rollingCountTimeout: settings.rollingCountTimeoutMs,
      rollingCountBuckets: 10,
    });
    const labels = { partner: this.options.partnerId, call_kind: kind };
    adapterMetrics.breakerState.set(labels, STATE_VALUES.closed);
    const entered = (state: keyof typeof STATE_VALUES) => () => {
      adapterMetrics.breakerState.set(labels, STATE_VALUES[state]);
      adapterMetrics.breakerTransitions.inc({ ...labels, to: state });
      this.options.log('warn', `breaker ${this.options.partnerId}/${kind} is now ${state}`);
    };
    breaker.on('open', entered('open'));
    breaker.on('halfOpen', entered('halfOpen'));
    breaker.on('close', entered('closed'));
    return breaker;
  }
}
