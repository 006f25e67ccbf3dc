// `npm run bench:api`: payments per second and latency through the public API, end to end
// (gateway, Kafka, ledger, projection), under open-loop load on real Kafka and PostgreSQL.
// Prints a table and writes results/api-bench-<time>.json.
import { REPO_ROOT, createLog, runMain } from '../harness/bench-main';
import { openBenchRun, recordRun } from '../harness/bench-run';
import { processMemory } from '../harness/process-memory';
import { keepLogFiles, writeJsonResult } from '../harness/results-files';
import { ApiBenchConfig, loadApiBenchConfig } from './api-bench-config';
import { runApiBenchmark } from './api-bench-run';
import { formatApiResult, writeApiChart } from './api-report';
import { ApiRunRecord, RESULTS_PREFIX, apiServiceSettings } from './api-run-record';

const { log } = createLog('bench:api');

async function main({ config, serviceSettings }: ApiBenchSettings): Promise<number> {
  const { controller, resources, context } = openBenchRun({
    tempPrefix: 'rtp-api-bench-',
    log,
    killed: 'the services',
  });
  const record = new ApiRunRecord(config, serviceSettings);
  const statuses = { failed: 'failed', interrupted: 'interrupted' } as const;
  await recordRun(record, statuses, controller.signal, log, () =>
    runApiBenchmark({ ...context, config, record }),
  );
  record.memory = {
    gateway: processMemory(resources.service('gateway')?.pid),
    ledger: processMemory(resources.service('ledger')?.pid),
  };
  await resources.stopServices();
  const result = record.toResult();
  console.log(`\n${formatApiResult(result)}\n`);
  if (result.steps.length > 0) {
    const file = writeJsonResult(REPO_ROOT, RESULTS_PREFIX, result, record.startedAt);
    console.log(`written to ${file}`);
    if (config.sweep) await writeChart(result, record.startedAt);
  }
  if (result.status !== 'completed' || config.keepLogs) {
    for (const kept of keepLogFiles(REPO_ROOT, RESULTS_PREFIX, record.logFiles, record.startedAt)) {
      log(`kept ${kept}`);
    }
  }
  await resources.release({ keep: config.keep });
  if (result.status === 'interrupted') return 130;
  return result.status === 'completed' ? 0 : 1;
}

async function writeChart(
  result: ReturnType<ApiRunRecord['toResult']>,
  startedAt: Date,
): Promise<void> {
  try {
    console.log(`chart written to ${await writeApiChart(REPO_ROOT, result, startedAt)}`);
  } catch (error) {
    log(`could not draw the chart: ${error instanceof Error ? error.message : String(error)}`);
  }
}

interface ApiBenchSettings {
  config: ApiBenchConfig;
  serviceSettings: ApiRunRecord['serviceSettings'];
}

runMain(
  (): ApiBenchSettings => ({
    config: loadApiBenchConfig(process.argv.slice(2), process.env),
    serviceSettings: apiServiceSettings(process.env),
  }),
  main,
);
