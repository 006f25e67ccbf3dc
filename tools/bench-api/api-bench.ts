// `npm run bench:api`: payments per second and latency through the public API, end to end
// (gateway, Kafka, ledger, projection), under open-loop load on real Kafka and PostgreSQL.
// Prints a table and writes results/api-bench-<time>.json.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../bench/bench-config';
import { ApiBenchConfig, loadApiBenchConfig } from './api-bench-config';
import { ApiBenchResources } from './api-bench-resources';
import { runApiBenchmark } from './api-bench-run';
import { processMemory } from '../bench/process-memory';
import { formatApiResult, keepServiceLogs, writeApiChart, writeApiResult } from './api-report';
import { ApiRunRecord, serviceSettingsOf } from './api-run-record';

const REPO_ROOT = join(__dirname, '..', '..');
const startedAt = performance.now();
const log = (message: string) => {
  const elapsedSeconds = ((performance.now() - startedAt) / 1_000).toFixed(1);
  process.stderr.write(`[bench:api +${elapsedSeconds}s] ${message}\n`);
};

/** Once Kafka is gone the services cannot leave their groups gracefully: do not wait long. */
const INTERRUPTED_SERVICE_GRACE_MS = 10_000;

/**
 * First signal: abort the load and stop the services at once (a terminal's Ctrl-C also reaches
 * Kafka, which is in our process group), then everything else. Second: kill the services.
 */
function handleSignals(controller: AbortController, resources: ApiBenchResources): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!controller.signal.aborted) {
        log(`${signal}: stopping everything (again to kill the services at once)`);
        controller.abort(new Error(`interrupted by ${signal}`));
        void resources.stopServices(INTERRUPTED_SERVICE_GRACE_MS).catch(() => undefined);
      } else {
        void resources.killServices();
      }
    });
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `\ncaused by: ${error.cause.stack}` : '';
  return `${error.stack ?? error.message}${cause}`;
}

async function main(
  config: ApiBenchConfig,
  serviceSettings: ApiRunRecord['serviceSettings'],
): Promise<number> {
  const controller = new AbortController();
  const resources = new ApiBenchResources(mkdtempSync(join(tmpdir(), 'rtp-api-bench-')), log);
  handleSignals(controller, resources);
  const record = new ApiRunRecord(config, serviceSettings);
  try {
    await runApiBenchmark({
      repoRoot: REPO_ROOT,
      config,
      resources,
      record,
      signal: controller.signal,
      log,
    });
  } catch (error) {
    record.status = controller.signal.aborted ? 'interrupted' : 'failed';
    record.error = controller.signal.aborted
      ? String((controller.signal.reason as Error).message)
      : describe(error);
    log(`${record.status}: ${record.error}`);
  }
  record.memory = {
    gateway: processMemory(resources.gateway?.pid),
    ledger: processMemory(resources.ledger?.pid),
  };
  await resources.stopServices();
  const result = record.toResult();
  console.log(`\n${formatApiResult(result)}\n`);
  if (result.steps.length > 0) {
    console.log(`written to ${writeApiResult(REPO_ROOT, result, record.startedAt)}`);
    if (config.sweep) await writeChart(result, record.startedAt);
  }
  if (result.status !== 'completed' || config.keepLogs) {
    for (const kept of keepServiceLogs(REPO_ROOT, record.logFiles, record.startedAt)) {
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

let config: ApiBenchConfig;
let serviceSettings: ApiRunRecord['serviceSettings'];
try {
  config = loadApiBenchConfig(process.argv.slice(2), process.env);
  serviceSettings = serviceSettingsOf(process.env);
} catch (error) {
  if (!(error instanceof UsageError)) {
    console.error(`settings: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  console.error(error.message);
  process.exit(error.exitCode);
}
main(config, serviceSettings).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
