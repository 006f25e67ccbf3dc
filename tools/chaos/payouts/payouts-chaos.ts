// `npm run chaos:payouts`: payouts through the public API while the sandbox bank drops, fails and
// hangs, while the partner adapter is SIGKILLed again and again, and (full profile) while the bank
// is blackholed; then checks that nothing was sent twice or lost and the money agrees between the
// bank and the ledger. Prints a table, writes results/chaos-payouts-<time>.json, exits 1 when a
// check fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REPO_ROOT,
  createLog,
  describeError,
  handleInterrupts,
  runMain,
} from '../../bench/harness/bench-main';
import { machineInfo } from '../../bench/harness/machine-info';
import { keepLogFiles, writeJsonResult } from '../../bench/harness/results-files';
import { PayoutChaosConfig, loadPayoutChaosConfig } from './payout-config';
import { PayoutPlatform, PayoutServiceName } from './payout-platform';
import {
  PayoutChaosResult,
  RESULTS_PREFIX,
  formatChecks,
  formatFigures,
  formatTable,
} from './payout-report';
import { PayoutRunContext, runPayoutChaos } from './payout-run';

const { log, clock } = createLog('chaos:payouts');
const INTERRUPTED_GRACE_MS = 5_000;
const SERVICES: PayoutServiceName[] = ['ledger', 'gateway', 'sandbox-bank', 'partner-adapter'];

async function run(context: PayoutRunContext, started: Date): Promise<PayoutChaosResult> {
  try {
    const result = await runPayoutChaos(context);
    const passed = result.checks.every((check) => check.passed);
    return { ...result, status: passed ? 'passed' : 'failed', error: null };
  } catch (error) {
    const failed: PayoutChaosResult = {
      status: context.signal.aborted ? 'interrupted' : 'failed',
      error: describeError(error),
      startedAt: started.toISOString(),
      config: context.config,
      machine: machineInfo(),
      rows: [],
      checks: [],
      exits: context.platform.exits,
      restarts: {},
    };
    log(`${failed.status}: ${failed.error}`);
    return failed;
  }
}

async function main(config: PayoutChaosConfig): Promise<number> {
  const controller = new AbortController();
  const dataDir = mkdtempSync(join(tmpdir(), 'rtp-chaos-payouts-'));
  const platform = new PayoutPlatform(
    REPO_ROOT,
    dataDir,
    { faultSeed: config.seed, checkMaxMs: 2_000, restartDelayMsMax: 2_000 },
    log,
    clock,
  );
  handleInterrupts({
    controller,
    log,
    hint: '',
    stop: () => platform.stopServices(INTERRUPTED_GRACE_MS),
  });
  const connections: PayoutRunContext['connections'] = {};
  const started = new Date();
  const context = { config, platform, clock, signal: controller.signal, log, connections };
  const result = await run(context, started);
  await connections.pool?.destroy().catch(() => undefined);
  await connections.database?.end().catch(() => undefined);
  log('stopping the services, Kafka and PostgreSQL');
  await platform
    .stop()
    .catch((error: unknown) => log(`could not stop everything: ${describeError(error)}`));
  if (result.rows.length > 0) {
    console.log(`\n${formatTable(result.rows)}\n\n${formatFigures(result.rows)}\n`);
  }
  if (result.checks.length > 0) console.log(`${formatChecks(result.checks)}\n`);
  const file = writeJsonResult(REPO_ROOT, RESULTS_PREFIX, result, started);
  console.log(`chaos:payouts ${result.status}; written to ${file}`);
  if (result.status !== 'passed' || config.keepLogs) {
    const logFiles = Object.fromEntries(SERVICES.map((name) => [name, platform.logFile(name)]));
    for (const kept of keepLogFiles(REPO_ROOT, RESULTS_PREFIX, logFiles, started)) {
      log(`kept ${kept}`);
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  if (result.status === 'interrupted') return 130;
  return result.status === 'passed' ? 0 : 1;
}

runMain(() => loadPayoutChaosConfig(process.argv.slice(2), process.env), main);
