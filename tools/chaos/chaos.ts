// `npm run chaos`: a steady load of payments through the public API while the ledger and the
// gateway are killed, the broker stalls and dies and PostgreSQL restarts, each service supervised
// as under `npm start`; then checks that nothing accepted was lost or doubled and money is
// conserved. Prints a table, writes results/chaos-<time>.json, exits 1 when a check fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../bench/bench-config';
import { machineInfo } from '../bench/machine-info';
import { ChaosConfig, loadChaosConfig } from './chaos-config';
import { ChaosPlatform } from './chaos-platform';
import {
  ChaosResult,
  formatDetails,
  formatTable,
  keepLogs,
  writeChaosResult,
} from './chaos-report';
import { ChaosRunContext, logFilesOf, runChaos } from './chaos-run';

const REPO_ROOT = join(__dirname, '..', '..');
const startedAt = performance.now();
const clock = () => performance.now() - startedAt;
const log = (message: string) =>
  process.stderr.write(`[chaos +${(clock() / 1_000).toFixed(1)}s] ${message}\n`);
const INTERRUPTED_GRACE_MS = 5_000;

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `\ncaused by: ${error.cause.stack}` : '';
  return `${error.stack ?? error.message}${cause}`;
}

async function main(config: ChaosConfig): Promise<number> {
  const controller = new AbortController();
  const dataDir = mkdtempSync(join(tmpdir(), 'rtp-chaos-'));
  const platform = new ChaosPlatform(REPO_ROOT, dataDir, log, clock);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) return;
      log(`${signal}: stopping everything`);
      controller.abort(new Error(`interrupted by ${signal}`));
      void platform.stopServices(INTERRUPTED_GRACE_MS).catch(() => undefined);
    });
  }
  const connections: ChaosRunContext['connections'] = {};
  const started = new Date();
  let result: ChaosResult;
  try {
    const run = await runChaos({
      repoRoot: REPO_ROOT,
      config,
      platform,
      clock,
      signal: controller.signal,
      log,
      connections,
    });
    const passed = run.checks.every((check) => check.passed);
    result = { ...run, status: passed ? 'passed' : 'failed', error: null };
  } catch (error) {
    const interrupted = controller.signal.aborted;
    result = {
      status: interrupted ? 'interrupted' : 'failed',
      error: describe(error),
      startedAt: started.toISOString(),
      config,
      machine: machineInfo(),
      rows: [],
      checks: [],
      exits: platform.exits,
      restarts: {},
      keys: 0,
    };
    log(`${result.status}: ${result.error}`);
  }
  await connections.pool?.destroy().catch(() => undefined);
  await connections.database?.end().catch(() => undefined);
  log('stopping the services, Kafka and PostgreSQL');
  await platform
    .stop()
    .catch((error: unknown) => log(`could not stop everything: ${describe(error)}`));
  if (result.rows.length > 0) {
    console.log(`\n${formatTable(result.rows)}\n\n${formatDetails(result)}\n`);
  }
  console.log(`chaos ${result.status}; written to ${writeChaosResult(REPO_ROOT, result, started)}`);
  if (result.status !== 'passed' || config.keepLogs) {
    for (const kept of keepLogs(REPO_ROOT, logFilesOf(platform), started)) log(`kept ${kept}`);
  }
  rmSync(dataDir, { recursive: true, force: true });
  if (result.status === 'interrupted') return 130;
  return result.status === 'passed' ? 0 : 1;
}

let config: ChaosConfig;
try {
  config = loadChaosConfig(process.argv.slice(2), process.env);
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
