import { setTimeout as sleep } from 'node:timers/promises';

/** Runs `work` over `items`, at most `concurrency` at once; the first failure stops the rest. */
export async function forEachBounded<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      signal.throwIfAborted();
      const index = next;
      next += 1;
      try {
        await work(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** An answer that retrying cannot change (a 4xx, a rejection): `retry` rethrows it at once. */
export class PermanentError extends Error {}

/**
 * Calls `attempt` until it returns a value (not undefined), at most `attempts` times, `pauseMs`
 * apart. Other errors (a lost connection, a timeout) are retried too; a PermanentError is not.
 */
export async function retry<T>(
  what: string,
  options: { attempts: number; pauseMs: number; signal: AbortSignal },
  attempt: () => Promise<T | undefined>,
): Promise<T> {
  let last: unknown = null;
  for (let index = 0; index < options.attempts; index += 1) {
    options.signal.throwIfAborted();
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof PermanentError) throw error;
      last = error;
    }
    await sleep(options.pauseMs, undefined, { signal: options.signal });
  }
  const reason = last instanceof Error ? last.message : 'no final answer';
  throw new Error(`${what}: gave up after ${options.attempts} attempts (${reason})`);
}
