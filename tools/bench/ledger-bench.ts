// `npm run bench:ledger`: the ledger's sustained throughput on real Kafka and PostgreSQL (fsync
// on).
// Seeds accounts, preloads TransferFunds commands while the ledger is stopped, restarts it and
// measures the drain. Prints a table and writes results/ledger-bench-<time>.json.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchConfig, UsageError, loadBenchConfig } from './bench-config';
import { keepLedgerLog, writeResult } from './bench-report';
import { formatResult } from './report-table';
import { BenchResources } from './bench-resources';
import { runBenchmark } from './bench-run';
import { RunRecord } from './run-record';

const REPO_ROOT = join(__dirname, '..', '..');
const startedAt = performance.now();
const log = (message: string) => {
  const elapsedSeconds = ((performance.now() - startedAt) / 1_000).toFixed(1);
  process.stderr.write(`[bench +${elapsedSeconds}s] ${message}\n`);
};

/** The ledger cannot leave its group gracefully once Kafka is gone: do not wait long for it. */
const INTERRUPTED_LEDGER_GRACE_MS = 10_000;

/**
 * First signal: stop the ledger at once (a terminal's Ctrl-C stops Kafka too, which is in our
 * process group), then everything else. Second: kill the ledger instead of waiting for it.
 */
function handleSignals(controller: AbortController, resources: BenchResources): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!controller.signal.aborted) {
        log(`${signal}: stopping everything (again to kill the ledger at once)`);
        controller.abort(new Error(`interrupted by ${signal}`));
        void resources.stopLedger(INTERRUPTED_LEDGER_GRACE_MS).catch(() => undefined);
      } else {
        void resources.killLedger();
      }
    });
  }
}

async function main(config: BenchConfig): Promise<number> {
  const controller = new AbortController();
  const resources = new BenchResources(mkdtempSync(join(tmpdir(), 'rtp-ledger-bench-')), log);
  handleSignals(controller, resources);
  const record = new RunRecord(config);
  try {
    await runBenchmark({
      repoRoot: REPO_ROOT,
      config,
      resources,
      record,
      signal: controller.signal,
      log,
    });
  } catch (error) {
    record.status = 'failed';
    record.error = controller.signal.aborted
      ? String((controller.signal.reason as Error).message)
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
    log(`failed: ${record.error}`);
  }
  await resources
    .stopLedger()
    .catch((error: unknown) => log(`could not stop the ledger: ${String(error)}`));
  const result = record.toResult();
  if (result.drain || !controller.signal.aborted) {
    console.log(`\n${formatResult(result)}\n`);
    if (result.drain) console.log(`written to ${writeResult(REPO_ROOT, result, record.startedAt)}`);
  }
  if (result.status !== 'completed' && record.ledgerLogFile && !config.keep) {
    const kept = keepLedgerLog(REPO_ROOT, record.ledgerLogFile, record.startedAt);
    if (kept) log(`the ledger's log is kept in ${kept}`);
  }
  await resources.release({ keep: config.keep });
  if (controller.signal.aborted) return 130;
  return result.status === 'completed' ? 0 : 1;
}

let config: BenchConfig;
try {
  config = loadBenchConfig(process.argv.slice(2), process.env);
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
