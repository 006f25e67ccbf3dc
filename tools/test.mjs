// `npm test`: module-boundary lint, typecheck, unit tests, then integration and end-to-end tests
// against a real Kafka broker and a real PostgreSQL (started here on free ports unless
// KAFKA_BROKERS / DATABASE_URL are given), then the short chaos profile (one test in the totals).
// Prints "N passed, N failed" last.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerEngineAvailable, startContainers } from './infra/containers.mjs';
import { startInfrastructure } from './infra/index.mjs';

/** The sources prettier formats (.prettierignore leaves out data, docs and SQL). */
const FORMATTED_FILES = '**/*.{ts,js,mjs,cjs}';
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const log = (message) => console.log(`[test] ${message}`);
// kafkajs 2.2.4 sets negative timeouts that Node 24 warns about (kafkajs issue #1751); harmless.
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --disable-warning=TimeoutNegativeWarning`.trim(),
};
const totals = { passed: 0, failed: 0 };
let failedSteps = [];

function step(name, command, args, extraEnv = {}) {
  log(`${name}: ${[command, ...args].map((part) => part.replace(repoRoot + '/', '')).join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...env, ...extraEnv },
  });
  if (result.status !== 0) failedSteps.push(name);
  return result.status === 0;
}

/** Like step, but without blocking this process, which must answer the tests' requests meanwhile. */
function stepInBackground(name, command, args, extraEnv = {}) {
  log(`${name}: ${[command, ...args].map((part) => part.replace(repoRoot + '/', '')).join(' ')}`);
  const child = spawn(command, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...env, ...extraEnv },
  });
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0) failedSteps.push(name);
      resolve(code === 0);
    }),
  );
}

async function jest(project, resultsDir, extraArgs, extraEnv) {
  const outputFile = join(resultsDir, `jest-${project}.json`);
  const ok = await stepInBackground(
    `jest ${project}`,
    bin('jest'),
    ['--selectProjects', project, '--json', `--outputFile=${outputFile}`, ...extraArgs],
    extraEnv,
  );
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
    if (report.numTotalTests === 0) failedSteps.push(`jest ${project}: no tests ran`);
  } catch {
    totals.failed += 1;
  }
  return ok;
}

async function main() {
  const resultsDir = mkdtempSync(join(tmpdir(), 'rtp-test-results-'));
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
  await jest('unit', resultsDir, [], {});
  const dataDir = mkdtempSync(join(tmpdir(), 'rtp-test-infra-'));
  let infrastructure = null;
  try {
    const given = process.env.DATABASE_URL && process.env.KAFKA_BROKERS;
    const useContainers =
      !given && process.env.RTP_TEST_INFRA !== 'local' && dockerEngineAvailable();
    infrastructure = useContainers
      ? await startContainers({ log })
      : await startInfrastructure({
          repoRoot,
          dataDir,
          env: process.env,
          ports: {},
          log,
          readReplica: true,
        });
    const restartPostgres = () => {
      log('restarting PostgreSQL for a test');
      infrastructure.postgres
        .restart()
        .catch((error) => log(`PostgreSQL restart failed: ${error.stack}`));
    };
    // Fault tests: SIGSTOP/SIGCONT the broker by pid; SIGUSR2 to this process restarts PostgreSQL.
    if (infrastructure.postgres) process.on('SIGUSR2', restartPostgres);
    await jest('integration', resultsDir, ['--runInBand'], {
      DATABASE_URL: infrastructure.databaseUrl,
      KAFKA_BROKERS: infrastructure.kafkaBrokers,
      RTP_TEST_LOG_DIR: join(dataDir, 'service-logs'),
      ...(infrastructure.kafka ? { RTP_TEST_KAFKA_PID: String(infrastructure.kafka.pid) } : {}),
      ...(infrastructure.postgres ? { RTP_TEST_POSTGRES_RESTARTER_PID: String(process.pid) } : {}),
      ...(infrastructure.readDatabaseUrl
        ? { RTP_TEST_READ_DATABASE_URL: infrastructure.readDatabaseUrl }
        : {}),
    });
  } catch (error) {
    log(`infrastructure failed: ${error.stack ?? error}`);
    failedSteps.push('infrastructure');
    totals.failed += 1;
  } finally {
    await infrastructure?.stop();
    if (failedSteps.length === 0) rmSync(dataDir, { recursive: true, force: true });
    else log(`kept ${dataDir} (service logs under service-logs/) for inspection`);
  }
  // Faults under load (tools/chaos): its own PostgreSQL and Kafka in a temporary folder, about 2 minutes.
  const chaosPassed = step('chaos (short profile)', process.execPath, [
    '--disable-warning=TimeoutNegativeWarning',
    '-r',
    '@swc-node/register',
    join('tools', 'chaos', 'chaos.ts'),
    '--profile',
    'short',
  ]);
  totals[chaosPassed ? 'passed' : 'failed'] += 1;
  if (failedSteps.length > 0) log(`failed steps: ${failedSteps.join(', ')}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(failedSteps.length === 0 && totals.failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
