import { GatewayProblemError, problems } from '@rtp/gateway/domain';

/** The accept step gets the request's wait, but at least ACCEPT_TIMEOUT_MS_MIN. */
export const ACCEPT_TIMEOUT_MS_MIN = 2_000;

/**
 * Bounds the accept step: a database that does not answer in time is a 503 (safe to retry with
 * the same key, which then replays if the first attempt did commit after all).
 */
export async function withinAcceptDeadline<T>(waitMs: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GatewayProblemError(problems.notAccepted())),
      Math.max(waitMs, ACCEPT_TIMEOUT_MS_MIN),
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
