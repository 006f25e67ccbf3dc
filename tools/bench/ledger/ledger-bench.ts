// `npm run bench:ledger`: the ledger's sustained throughput on real Kafka and PostgreSQL (fsync
// on).
// Seeds accounts, preloads TransferFunds commands while the ledger is stopped, restarts it and
// measures the drain. Prints a table and writes results/ledger-bench-<time>.json.
import { REPO_ROOT, createLog, runMain } from '../harness/bench-main';
import { openBenchRun, recordRun } from '../harness/bench-run';
import { keepLogFiles, writeJsonResult } from '../harness/results-files';
import { BenchConfig, loadBenchConfig } from './ledger-bench-config';
import { LedgerRunRecord } from './ledger-record';
import { formatResult } from './ledger-report';
import { RESULTS_PREFIX } from './ledger-result';
import { runBenchmark } from './ledger-run';

const { log } = createLog('bench');

async function main(config: BenchConfig): Promise<number> {
  const { controller, resources, context } = openBenchRun({
    tempPrefix: 'rtp-ledger-bench-',
    log,
    killed: 'the ledger',
  });
  const record = new LedgerRunRecord(config);
  const statuses = { failed: 'failed', interrupted: 'failed' } as const;
  await recordRun(record, statuses, controller.signal, log, () =>
    runBenchmark({ ...context, config, record }),
  );
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
