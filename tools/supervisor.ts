// Keeps a service process running: when it exits without being asked to, it is started again
// after an exponentially growing delay, reset once a run stayed up long enough. Used by
// `npm start` and `npm run chaos`.
import type { ServiceExitStatus, ServiceHandle } from './services';

/** How long `supervise` waits before starting an exited process again. */
export interface BackoffPolicy {
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** A run at least this long resets the backoff to its first delay. */
  stableAfterMs: number;
}

export interface ServiceExit extends ServiceExitStatus {
  pid: number | undefined;
  uptimeMs: number;
  /** Until the next start. */
  delayMs: number;
}

export interface Supervisor {
  readonly name: string;
  /** The running process, or null between an exit and its restart. */
  readonly current: ServiceHandle | null;
  readonly restarts: number;
  /** No restart from now on; stops the running process (SIGTERM, then SIGKILL after the grace). */
  stop(graceMs?: number): Promise<void>;
}

export const DEFAULT_POLICY: BackoffPolicy = Object.freeze({
  initialDelayMs: 500,
  factor: 2,
  maxDelayMs: 30_000,
  // A run this long counts as healthy: the next crash starts the backoff from the beginning.
  stableAfterMs: 60_000,
});

/**
 * Pure: the delay before the next start, given how many quick exits came before this one and
 * how long the run that just ended lasted.
 */
export function nextRestart(
  policy: BackoffPolicy,
  { quickExits, uptimeMs }: { quickExits: number; uptimeMs: number },
): { delayMs: number; quickExits: number } {
  const exitsBefore = uptimeMs >= policy.stableAfterMs ? 0 : quickExits;
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exitsBefore);
  return { delayMs, quickExits: exitsBefore + 1 };
}

const describeExit = ({ code, signal }: ServiceExitStatus) =>
  signal ? `signal ${signal}` : `code ${code}`;

export function supervise(options: {
  name: string;
  start: () => ServiceHandle;
  log: (message: string) => void;
  policy?: Partial<BackoffPolicy>;
  onStart?: (handle: ServiceHandle, restarts: number) => void;
  onExit?: (exit: ServiceExit) => void;
}): Supervisor {
  const { name, start, log, onStart, onExit } = options;
  const policy = { ...DEFAULT_POLICY, ...options.policy };
  let quickExits = 0;
  let restarts = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let current: ServiceHandle | null = null;

  const run = () => {
    timer = null;
    if (stopping) return;
    const startedAt = Date.now();
    const handle = start();
    current = handle;
    onStart?.(handle, restarts);
    void handle.exited.then((exit) => {
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
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    async stop(graceMs?: number) {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await current?.stop(graceMs);
    },
  };
}
