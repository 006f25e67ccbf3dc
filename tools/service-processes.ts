// Typed access to tools/services.cjs (CommonJS, so that the ESM tools and the CommonJS tests share it).

export interface ServiceHandle {
  app: string;
  child: {
    pid?: number;
    exitCode: number | null;
    signalCode: string | null;
    kill(signal: string): boolean;
  };
  exited: Promise<{ code: number | null; signal: string | null }>;
  stop(graceMs?: number): Promise<void>;
  kill(signal?: string): Promise<{ code: number | null; signal: string | null }>;
}

export const services = require('./services.cjs') as {
  startService(options: {
    repoRoot: string;
    app: string;
    env: Record<string, string>;
    logDir: string;
  }): ServiceHandle;
  waitForReady(url: string, timeoutMs: number, service?: ServiceHandle): Promise<void>;
  freePort(): Promise<number>;
};

/** How long `supervise` waits before starting an exited process again (tools/supervisor.cjs). */
export interface BackoffPolicy {
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** A run at least this long resets the backoff to its first delay. */
  stableAfterMs: number;
}

export interface ServiceExit {
  code: number | null;
  signal: string | null;
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
  stop(graceMs?: number): Promise<void>;
}

export const supervision = require('./supervisor.cjs') as {
  DEFAULT_POLICY: BackoffPolicy;
  nextRestart(
    policy: BackoffPolicy,
    previous: { quickExits: number; uptimeMs: number },
  ): { delayMs: number; quickExits: number };
  supervise(options: {
    name: string;
    start: () => ServiceHandle;
    log: (message: string) => void;
    policy?: Partial<BackoffPolicy>;
    onStart?: (handle: ServiceHandle, restarts: number) => void;
    onExit?: (exit: ServiceExit) => void;
  }): Supervisor;
};
