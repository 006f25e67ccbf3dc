// `npm run chaos`: a steady load of payments through the public API while the ledger and the
// gateway are killed, the broker stalls and dies and PostgreSQL restarts, each service supervised
// as under `npm start`; then checks that nothing accepted was lost or doubled and money is
// conserved. Prints a table, writes results/chaos-<time>.json, exits 1 when a check fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REPO_ROOT,
  createLog,
  describeError,
  handleInterrupts,
  runMain,
} from '../bench/harness/bench-main';
import { machineInfo } from '../bench/harness/machine-info';
import { keepLogFiles, writeJsonResult } from '../bench/harness/results-files';
import { ChaosConfig, loadChaosConfig } from './chaos-config';
import { ChaosPlatform } from './chaos-platform';
import { ChaosResult, RESULTS_PREFIX, formatDetails, formatTable } from './chaos-report';
import { ChaosRunContext, logFilesOf, runChaos } from './chaos-run';

const { log, clock } = createLog('chaos');
const INTERRUPTED_GRACE_MS = 5_000;

async function run(
  config: ChaosConfig,
  platform: ChaosPlatform,
  signal: AbortSignal,
  connections: ChaosRunContext['connections'],
  started: Date,
): Promise<ChaosResult> {
  try {
    const result = await runChaos({
      repoRoot: REPO_ROOT,
      config,
      platform,
      clock,
      signal,
      log,
      connections,
    });
    const passed = result.checks.every((check) => check.passed);
    return { ...result, status: passed ? 'passed' : 'failed', error: null };
  } catch (error) {
    const failed: ChaosResult = {
      status: signal.aborted ? 'interrupted' : 'failed',
      error: describeError(error),
      startedAt: started.toISOString(),
      config,
      machine: machineInfo(),
      rows: [],
      checks: [],
      exits: platform.exits,
      restarts: {},
      keys: 0,
    };
    log(`${failed.status}: ${failed.error}`);
    return failed;
  }
}

async function main(config: ChaosConfig): Promise<number> {
  const controller = new AbortController();
  const dataDir = mkdtempSync(join(tmpdir(), 'rtp-chaos-'));
  const platform = new ChaosPlatform(REPO_ROOT, dataDir, log, clock);
  handleInterrupts({
    controller,
    log,
    hint: '',
    stop: () => platform.stopServices(INTERRUPTED_GRACE_MS),
  });
  const connections: ChaosRunContext['connections'] = {};
  const started = new Date();
  const result = await run(config, platform, controller.signal, connections, started);
  await connections.pool?.destroy().catch(() => undefined);
  await connections.database?.end().catch(() => undefined);
  log('stopping the services, Kafka and PostgreSQL');
  await platform
    .stop()
    .catch((error: unknown) => log(`could not stop everything: ${describeError(error)}`));
  if (result.rows.length > 0) {
    console.log(`\n${formatTable(result.rows)}\n\n${formatDetails(result)}\n`);
  }
  const file = writeJsonResult(REPO_ROOT, RESULTS_PREFIX, result, started);
  console.log(`chaos ${result.status}; written to ${file}`);
  if (result.status !== 'passed' || config.keepLogs) {
    for (const kept of keepLogFiles(REPO_ROOT, RESULTS_PREFIX, logFilesOf(platform), started)) {
      log(`kept ${kept}`);
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  if (result.status === 'interrupted') return 130;
  return result.status === 'passed' ? 0 : 1;
}

runMain(() => loadChaosConfig(process.argv.slice(2), process.env), main);
