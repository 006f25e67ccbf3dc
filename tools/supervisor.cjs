// Keeps a service process running: when it exits without being asked to, it is started again
// after an exponentially growing delay, reset once a run stayed up long enough. Used by
// `npm start` and `npm run chaos`. CommonJS so that the ESM tools and the jest tests share it.

/**
 * @typedef {{ initialDelayMs: number, factor: number, maxDelayMs: number, stableAfterMs: number }}
 *   BackoffPolicy
 */

/** @type {BackoffPolicy} */
const DEFAULT_POLICY = Object.freeze({
  initialDelayMs: 500,
  factor: 2,
  maxDelayMs: 30_000,
  // A run this long counts as healthy: the next crash starts the backoff from the beginning.
  stableAfterMs: 60_000,
});

/**
 * Pure: the delay before the next start, given how many quick exits came before this one and
 * how long the run that just ended lasted.
 * @param {BackoffPolicy} policy
 * @param {{ quickExits: number, uptimeMs: number }} previous
 * @returns {{ delayMs: number, quickExits: number }}
 */
function nextRestart(policy, { quickExits, uptimeMs }) {
  const exitsBefore = uptimeMs >= policy.stableAfterMs ? 0 : quickExits;
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exitsBefore);
  return { delayMs, quickExits: exitsBefore + 1 };
}

const describeExit = ({ code, signal }) => (signal ? `signal ${signal}` : `code ${code}`);

/**
 * @typedef {{ child: { pid?: number }, exited: Promise<{ code: number|null, signal: string|null }>,
 *   stop(graceMs?: number): Promise<void> }} Handle
 * @param {{ name: string, start: () => Handle, log: (message: string) => void,
 *   policy?: Partial<BackoffPolicy>,
 *   onStart?: (handle: Handle, restarts: number) => void,
 *   onExit?: (exit: { code: number|null, signal: string|null, pid: number|undefined,
 *     uptimeMs: number, delayMs: number }) => void }} options
 */
function supervise({ name, start, log, policy: overrides = {}, onStart, onExit }) {
  const policy = { ...DEFAULT_POLICY, ...overrides };
  let quickExits = 0;
  let restarts = 0;
  let stopping = false;
  let timer = null;
  let current = null;

  const run = () => {
    timer = null;
    if (stopping) return;
    const startedAt = Date.now();
    const handle = start();
    current = handle;
    onStart?.(handle, restarts);
    handle.exited.then((exit) => {
      if (current === handle) current = null;
      if (stopping) return;
      const uptimeMs = Date.now() - startedAt;
      const next = nextRestart(policy, { quickExits, uptimeMs });
      quickExits = next.quickExits;
      log(
        `${name} (pid ${handle.child.pid}) exited with ${describeExit(exit)} after ` +
          `${(uptimeMs / 1000).toFixed(1)} s; restarting in ${(next.delayMs / 1000).toFixed(1)} s`,
      );
      onExit?.({ ...exit, pid: handle.child.pid, uptimeMs, delayMs: next.delayMs });
      restarts += 1;
      timer = setTimeout(run, next.delayMs);
    });
  };
  run();

  return {
    name,
    /** The running process, or null between an exit and its restart. */
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    /** No restart from now on; stops the running process (SIGTERM, then SIGKILL after the grace). */
    async stop(graceMs) {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await current?.stop(graceMs);
    },
  };
}

module.exports = { DEFAULT_POLICY, nextRestart, supervise };
