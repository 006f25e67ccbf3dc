// `npm test`: module-boundary lint, format check, typecheck, unit tests, then integration and
// end-to-end tests against a real Kafka broker and a real PostgreSQL (started here on free ports
// unless KAFKA_BROKERS / DATABASE_URL are given), then the short chaos profiles of payments and of
// payouts (one test each in the totals). Prints "N passed, N failed" last.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dockerEngineAvailable, startContainers } from './infra/containers';
import { StartedInfrastructure, startInfrastructure } from './infra/index';

/** The sources prettier formats (.prettierignore leaves out data, docs and SQL). */
const FORMATTED_FILES = '**/*.{ts,js,mjs,cjs}';
const repoRoot = join(__dirname, '..');
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);
const log = (message: string) => console.log(`[test] ${message}`);
// kafkajs 2.2.4 sets negative timeouts that Node 24 warns about (kafkajs issue #1751); harmless.
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --disable-warning=TimeoutNegativeWarning`.trim(),
};
const totals = { passed: 0, failed: 0 };
const failedSteps: string[] = [];

type Env = Record<string, string>;

function announce(name: string, command: string, args: string[]): void {
  const shown = [command, ...args].map((part) => part.replace(repoRoot + '/', ''));
  log(`${name}: ${shown.join(' ')}`);
}

function step(name: string, command: string, args: string[], extraEnv: Env = {}): boolean {
  announce(name, command, args);
  const result = spawnSync(command, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...env, ...extraEnv },
  });
  if (result.status !== 0) failedSteps.push(name);
  return result.status === 0;
}

/** Like step, but without blocking this process, which must answer the tests' requests meanwhile. */
function stepInBackground(name: string, command: string, args: string[], extraEnv: Env) {
  announce(name, command, args);
  const child = spawn(command, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...env, ...extraEnv },
  });
  return new Promise<boolean>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0) failedSteps.push(name);
      resolve(code === 0);
    }),
  );
}

interface JestReport {
  numPassedTests: number;
  numFailedTests: number;
  numRuntimeErrorTestSuites: number;
  numTotalTests: number;
}

async function jest(project: string, resultsDir: string, extraArgs: string[], extraEnv: Env) {
  const outputFile = join(resultsDir, `jest-${project}.json`);
  const ok = await stepInBackground(
    `jest ${project}`,
    bin('jest'),
    ['--selectProjects', project, '--json', `--outputFile=${outputFile}`, ...extraArgs],
    extraEnv,
  );
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8')) as JestReport;
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
    if (report.numTotalTests === 0) failedSteps.push(`jest ${project}: no tests ran`);
  } catch {
    totals.failed += 1;
  }
  return ok;
}

/** Project graph, lint, format check and typecheck: each a step, all run whatever fails. */
function staticChecks(): void {
  // The module-boundary rule reads Nx's project graph; compute it first (no daemon, no cloud).
  step('project graph', bin('nx'), ['show', 'projects'], {
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
  });
  step('lint (Nx module boundaries)', bin('eslint'), ['--max-warnings=0', '.']);
  step('format (prettier --check)', bin('prettier'), [
    '--check',
    '--log-level=warn',
    FORMATTED_FILES,
  ]);
  step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
}

function startTestInfrastructure(dataDir: string): Promise<StartedInfrastructure> {
  const given = process.env.DATABASE_URL && process.env.KAFKA_BROKERS;
  const useContainers = !given && process.env.RTP_TEST_INFRA !== 'local' && dockerEngineAvailable();
  if (useContainers) return startContainers({ log });
  const options = { repoRoot, dataDir, env: process.env, ports: {}, log, readReplica: true };
  return startInfrastructure(options);
}

/** What the integration tests are told: the URLs, and how to disturb the servers. */
function integrationEnv(infrastructure: StartedInfrastructure, dataDir: string): Env {
  const { kafka, postgres, readDatabaseUrl } = infrastructure;
  return {
    DATABASE_URL: infrastructure.databaseUrl,
    KAFKA_BROKERS: infrastructure.kafkaBrokers,
    RTP_TEST_LOG_DIR: join(dataDir, 'service-logs'),
    ...(kafka ? { RTP_TEST_KAFKA_PID: String(kafka.pid) } : {}),
    ...(postgres ? { RTP_TEST_POSTGRES_RESTARTER_PID: String(process.pid) } : {}),
    ...(readDatabaseUrl ? { RTP_TEST_READ_DATABASE_URL: readDatabaseUrl } : {}),
  };
}

async function integrationTests(resultsDir: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rtp-test-infra-'));
  let infrastructure: StartedInfrastructure | null = null;
  try {
    infrastructure = await startTestInfrastructure(dataDir);
    const { postgres } = infrastructure;
    // Fault tests: SIGSTOP/SIGCONT the broker by pid; SIGUSR2 to this process restarts PostgreSQL.
    if (postgres) {
      process.on('SIGUSR2', () => {
        log('restarting PostgreSQL for a test');
        postgres
          .restart()
          .catch((error: Error) => log(`PostgreSQL restart failed: ${error.stack}`));
      });
    }
    await jest('integration', resultsDir, ['--runInBand'], integrationEnv(infrastructure, dataDir));
  } catch (error) {
    log(`infrastructure failed: ${(error as Error).stack ?? error}`);
    failedSteps.push('infrastructure');
    totals.failed += 1;
  } finally {
    await infrastructure?.stop();
    if (failedSteps.length === 0) rmSync(dataDir, { recursive: true, force: true });
    else log(`kept ${dataDir} (service logs under service-logs/) for inspection`);
  }
}

/** Faults under load (tools/chaos): its own PostgreSQL and Kafka in a temporary folder, ~2 min. */
function shortChaos(): void {
  const chaosPassed = step('chaos (short profile)', process.execPath, [
    '--disable-warning=TimeoutNegativeWarning',
    '-r',
    '@swc-node/register',
    join('tools', 'chaos', 'chaos.ts'),
    '--profile',
    'short',
  ]);
  totals[chaosPassed ? 'passed' : 'failed'] += 1;
  // Payouts under bank faults and partner adapter SIGKILLs (tools/chaos/payouts), ~1-2 min.
  const payoutsPassed = step('chaos:payouts (short profile)', process.execPath, [
    '--disable-warning=TimeoutNegativeWarning',
    '-r',
    '@swc-node/register',
    join('tools', 'chaos', 'payouts', 'payouts-chaos.ts'),
    '--profile',
    'short',
  ]);
  totals[payoutsPassed ? 'passed' : 'failed'] += 1;
}

async function main(): Promise<void> {
  const resultsDir = mkdtempSync(join(tmpdir(), 'rtp-test-results-'));
  staticChecks();
  await jest('unit', resultsDir, [], {});
  await integrationTests(resultsDir);
  shortChaos();
  if (failedSteps.length > 0) log(`failed steps: ${failedSteps.join(', ')}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(failedSteps.length === 0 && totals.failed === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
