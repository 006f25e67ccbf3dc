/** The accept step gets the request's wait, but at least ACCEPT_TIMEOUT_MS_MIN. */
export const ACCEPT_TIMEOUT_MS_MIN = 2_000;

/** What `withinAcceptDeadline` answers when the accept step did not answer in time. */
export const ACCEPT_TIMED_OUT = Symbol('accept timed out');

/**
 * Bounds the accept step: a database that does not answer in time is refused as not accepted (safe
 * to retry with the same key, which then replays if the first attempt did commit after all).
 */
export async function withinAcceptDeadline<T>(
  waitMs: number,
  work: Promise<T>,
): Promise<T | typeof ACCEPT_TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof ACCEPT_TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(ACCEPT_TIMED_OUT), Math.max(waitMs, ACCEPT_TIMEOUT_MS_MIN));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
