import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UsageError } from './command-line';

/** The repository's root, where the services are started from and results/ is written. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

export type Log = (message: string) => void;

/** Progress on stderr, `[name +12.3s] message`, timed from the process's start. */
export function createLog(name: string): { log: Log; clock: () => number } {
  const startedAt = performance.now();
  const clock = () => performance.now() - startedAt;
  const log = (message: string) =>
    process.stderr.write(`[${name} +${(clock() / 1_000).toFixed(1)}s] ${message}\n`);
  return { log, clock };
}

/** An error as the results show it: its stack, and its cause's. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `\ncaused by: ${error.cause.stack}` : '';
  return `${error.stack ?? error.message}${cause}`;
}

/**
 * First SIGINT or SIGTERM: abort the run and call `stop` at once (a terminal's Ctrl-C also
 * reaches Kafka, which is in our process group). A second one calls `kill`, when there is one.
 */
export function handleInterrupts(options: {
  controller: AbortController;
  log: Log;
  /** Said after "stopping everything", e.g. " (again to kill the ledger at once)". */
  hint: string;
  stop: () => Promise<unknown>;
  kill?: () => Promise<unknown>;
}): void {
  const { controller, log } = options;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!controller.signal.aborted) {
        log(`${signal}: stopping everything${options.hint}`);
        controller.abort(new Error(`interrupted by ${signal}`));
        void options.stop().catch(() => undefined);
      } else if (options.kill) {
        void options.kill();
      }
    });
  }
}

/** Why an aborted or failed run ended: the interruption's reason, or the error. */
export function failureOf(error: unknown, signal: AbortSignal): string {
  return signal.aborted ? String((signal.reason as Error).message) : describeError(error);
}

/**
 * The command's entry: reads the configuration (a UsageError prints the usage and exits with its
 * code), runs `main` and exits with the code it returns (1 when it throws).
 */
export function runMain<C>(loadConfig: () => C, main: (config: C) => Promise<number>): void {
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    process.exit(error.exitCode);
  }
  main(config).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
