import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Log, REPO_ROOT, failureOf, handleInterrupts } from './bench-main';
import { BenchResources } from './bench-resources';
import { RunRecord } from './run-record';

/** Once Kafka is gone the services cannot leave their groups gracefully: do not wait long. */
const INTERRUPTED_SERVICE_GRACE_MS = 10_000;

/** What every benchmark's run gets, beside its own configuration and record. */
export interface BenchRunContext {
  repoRoot: string;
  resources: BenchResources;
  signal: AbortSignal;
  log: Log;
}

/**
 * A benchmark's resources in a fresh temporary folder, and the interrupts: the first stops the
 * services at once, a second kills them.
 */
export function openBenchRun(options: {
  /** The temporary folder's prefix, e.g. `rtp-ledger-bench-`. */
  tempPrefix: string;
  log: Log;
  /** Who a second Ctrl-C kills, e.g. `the ledger`. */
  killed: string;
}): { controller: AbortController; resources: BenchResources; context: BenchRunContext } {
  const { log } = options;
  const controller = new AbortController();
  const resources = new BenchResources(mkdtempSync(join(tmpdir(), options.tempPrefix)), log);
  handleInterrupts({
    controller,
    log,
    hint: ` (again to kill ${options.killed} at once)`,
    stop: () => resources.stopServices(INTERRUPTED_SERVICE_GRACE_MS),
    kill: () => resources.killServices(),
  });
  const context = { repoRoot: REPO_ROOT, resources, signal: controller.signal, log };
  return { controller, resources, context };
}

/** Runs the benchmark; a failure or an interruption is recorded (and logged), not thrown. */
export async function recordRun<S extends string>(
  record: RunRecord<S>,
  statuses: { failed: S; interrupted: S },
  signal: AbortSignal,
  log: Log,
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    record.status = signal.aborted ? statuses.interrupted : statuses.failed;
    record.error = failureOf(error, signal);
    log(`${record.status}: ${record.error}`);
  }
}
