import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayClient } from '../harness/gateway-client';
import { forEachBounded } from '../harness/bounded-parallel';
import { AcceptedPayment } from './open-loop-load';
import { increment } from '../harness/request-outcomes';

/** What became of the payments answered 202, read back once the pipeline was empty. */
export interface AcceptedFate {
  /** 202 answers in the step (all of them, not only the ids kept). */
  total: number;
  /** Read back: a sample spread evenly over the step, the last one included. */
  checked: number;
  /** Final status (or `error <http status>`) of the checked ones. */
  statuses: Record<string, number>;
  /** Checked ones still `processing` after the last pass: stuck, unless the pipeline was full. */
  stillProcessing: number;
}

const CHECKED_MAX = 1_000;
const CONCURRENCY = 16;
const PASSES = 3;
const PAUSE_BETWEEN_PASSES_MS = 2_000;

export async function checkAcceptedFate(options: {
  gatewayUrl: string;
  apiKeys: string[];
  accepted: AcceptedPayment[];
  total: number;
  signal: AbortSignal;
}): Promise<AcceptedFate> {
  const sample = spreadSample(options.accepted, CHECKED_MAX);
  const clients = options.apiKeys.map((key) => new GatewayClient(options.gatewayUrl, key));
  const final = new Map<string, string>();
  let pending = sample;
  for (let pass = 0; pass < PASSES && pending.length > 0; pass += 1) {
    if (pass > 0) await sleep(PAUSE_BETWEEN_PASSES_MS, undefined, { signal: options.signal });
    await forEachBounded(pending, CONCURRENCY, options.signal, async (payment) => {
      const response = await clients[payment.client]
        .get<{ status: string }>(`/v1/payments/${payment.id}`)
        .catch(() => null);
      if (!response) final.set(payment.id, 'error network');
      else if (response.status !== 200) final.set(payment.id, `error ${response.status}`);
      else final.set(payment.id, response.body.status);
    });
    pending = pending.filter((payment) => final.get(payment.id) === 'processing');
  }
  const statuses: Record<string, number> = {};
  for (const status of final.values()) increment(statuses, status);
  return {
    total: options.total,
    checked: sample.length,
    statuses,
    stillProcessing: pending.length,
  };
}

function spreadSample<T>(items: T[], size: number): T[] {
  if (items.length <= size) return items;
  const step = items.length / size;
  return Array.from(
    { length: size },
    (_, index) => items[Math.min(items.length - 1, Math.floor((index + 1) * step) - 1)],
  );
}
