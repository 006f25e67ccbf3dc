// `npm run bench:ledger`: the ledger's sustained throughput on real Kafka and PostgreSQL (fsync
// on).
// Seeds accounts, preloads TransferFunds commands while the ledger is stopped, restarts it and
// measures the drain. Prints a table and writes results/ledger-bench-<time>.json.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, createLog, failureOf, handleInterrupts, runMain } from '../harness/bench-main';
import { BenchResources } from '../harness/bench-resources';
import { keepLogFiles, writeJsonResult } from '../harness/results-files';
import { BenchConfig, loadBenchConfig } from './ledger-bench-config';
import { LedgerRunRecord } from './ledger-record';
import { formatResult } from './ledger-report';
import { RESULTS_PREFIX } from './ledger-result';
import { runBenchmark } from './ledger-run';

const { log } = createLog('bench');

/** The ledger cannot leave its group gracefully once Kafka is gone: do not wait long for it. */
const INTERRUPTED_LEDGER_GRACE_MS = 10_000;

async function main(config: BenchConfig): Promise<number> {
  const controller = new AbortController();
  const resources = new BenchResources(mkdtempSync(join(tmpdir(), 'rtp-ledger-bench-')), log);
  handleInterrupts({
    controller,
    log,
    hint: ' (again to kill the ledger at once)',
    stop: () => resources.stopService('ledger', INTERRUPTED_LEDGER_GRACE_MS),
    kill: () => resources.killServices(),
  });
  const record = new LedgerRunRecord(config);
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
    record.error = failureOf(error, controller.signal);
    log(`failed: ${record.error}`);
  }
  await resources.stopServices();
  const result = record.toResult();
  if (result.drain || !controller.signal.aborted) {
    console.log(`\n${formatResult(result)}\n`);
    if (result.drain) {
      const file = writeJsonResult(REPO_ROOT, RESULTS_PREFIX, result, record.startedAt);
      console.log(`written to ${file}`);
    }
  }
  if (result.status !== 'completed' && record.ledgerLogFile && !config.keep) {
    const logs = { ledger: record.ledgerLogFile };
    for (const kept of keepLogFiles(REPO_ROOT, RESULTS_PREFIX, logs, record.startedAt)) {
      log(`the ledger's log is kept in ${kept}`);
    }
  }
  await resources.release({ keep: config.keep });
  if (controller.signal.aborted) return 130;
  return result.status === 'completed' ? 0 : 1;
}

runMain(() => loadBenchConfig(process.argv.slice(2), process.env), main);
