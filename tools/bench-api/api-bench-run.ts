import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { createKafka } from '@rtp/shared/kafka';
import { startBenchInfrastructure } from '../bench/bench-infrastructure';
import { LedgerDatabase } from '../bench/ledger-database';
import { LedgerProcess } from '../bench/ledger-process';
import { prepareMeasurement } from '../bench/measurement-setup';
import { postmasterOf } from '../bench/process-cpu';
import { setUpAccounts } from './account-setup';
import { ApiBenchConfig } from './api-bench-config';
import { ApiBenchResources } from './api-bench-resources';
import { ApiRunRecord } from './api-run-record';
import { GatewayProcess } from './gateway-process';
import { StepContext, runLoadStep, waitForEmptyPipeline } from './load-step';
import { PipelineProbe } from './pipeline-probe';
import { services } from '../service-processes';
import { formatStepLine } from './api-report';

const LEDGER_READY_TIMEOUT_MS = 180_000;
const GATEWAY_READY_TIMEOUT_MS = 90_000;

export interface RunContext {
  repoRoot: string;
  config: ApiBenchConfig;
  resources: ApiBenchResources;
  record: ApiRunRecord;
  signal: AbortSignal;
  log: (message: string) => void;
}

const secondsSince = (start: number) => (performance.now() - start) / 1_000;

/** Infrastructure, ledger and gateway, funded accounts, then one load step per rate. */
export async function runApiBenchmark(context: RunContext): Promise<void> {
  const { config, record, resources, signal, log } = context;
  const platform = await startPlatform(context);
  let phaseStart = performance.now();
  log(`opening and funding ${config.accounts} accounts under ${config.clients} clients`);
  const clients = await setUpAccounts({
    gatewayUrl: platform.gatewayUrl,
    adminApiKey: platform.adminApiKey,
    accounts: config.accounts,
    clients: config.clients,
    concurrency: config.setupConcurrency,
    timeoutMs: config.setupTimeoutMs,
    runTag: platform.runTag,
    signal,
    log,
  }).catch((error: unknown) => {
    throw new Error(`setting up the accounts failed: ${describe(error)}`, { cause: error });
  });
  record.phases.setupSeconds = secondsSince(phaseStart);
  // The setup's last commands settle first, so that the first step starts from an empty pipeline.
  const settled = await waitForEmptyPipeline(platform, config.settleTimeoutMs);
  if (settled.emptySeconds === null) {
    log(`the pipeline did not empty after the setup: ${JSON.stringify(settled.backlog)}`);
  }
  const pool = (resources.pool = loadGeneratorPool(config, platform.gatewayUrl));
  phaseStart = performance.now();
  for (const [index, rate] of config.ratesPerSecond.entries()) {
    if (index > 0 && config.cooldownMs > 0) await sleep(config.cooldownMs, undefined, { signal });
    const step = await runLoadStep({ ...platform, pool, clients }, rate, index);
    record.steps.push(step);
    log(formatStepLine(step));
    signal.throwIfAborted();
    const services = { gateway: resources.gateway, ledger: resources.ledger };
    const stopped = Object.entries(services)
      .filter(([, service]) => !service?.alive())
      .map(([name]) => name);
    if (stopped.length > 0) {
      throw new Error(`${stopped.join(' and ')} stopped during the ${rate}/s step (see the log)`);
    }
  }
  record.phases.loadSeconds = secondsSince(phaseStart);
  record.status = 'completed';
}

/**
 * Bounded keep-alive connections, one request at a time on each (no pipelining: a slow answer
 * would hold up the ones behind it). Requests beyond them wait in undici's queue, a wait that
 * counts in their latency since it runs from the intended send time.
 */
function loadGeneratorPool(config: ApiBenchConfig, gatewayUrl: string): Pool {
  return new Pool(gatewayUrl, {
    connections: config.connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: config.requestTimeoutMs,
    bodyTimeout: config.requestTimeoutMs,
    connectTimeout: 10_000,
  });
}

type Platform = Omit<StepContext, 'pool' | 'clients'> & { adminApiKey: string };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function startPlatform(context: RunContext): Promise<Platform> {
  const { repoRoot, config, resources, record, signal, log } = context;
  let phaseStart = performance.now();
  log(`starting infrastructure in ${resources.dataDir}`);
  const infrastructure = await startBenchInfrastructure({
    repoRoot,
    dataDir: resources.dataDir,
    databaseUrl: config.databaseUrl,
    kafkaBrokers: config.kafkaBrokers,
    log: (message) => log(`[infra] ${message}`),
  });
  resources.infrastructure = infrastructure;
  record.versions.kafka = infrastructure.kafkaVersion;
  record.phases.infrastructureSeconds = secondsSince(phaseStart);
  signal.throwIfAborted();
  const database = (resources.database = new LedgerDatabase(infrastructure.databaseUrl));
  const { calibration, statements } = await prepareMeasurement({
    infrastructure,
    database,
    calibrationSeconds: config.calibrationSeconds,
    signal,
    log,
  });
  record.calibration = calibration;
  resources.statements = statements;
  const admin = (resources.admin = createKafka({
    brokers: infrastructure.kafkaBrokers.split(','),
    clientId: 'api-bench',
    connectionTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
  }).admin());
  await admin.connect();
  phaseStart = performance.now();
  const env = {
    DATABASE_URL: infrastructure.databaseUrl,
    KAFKA_BROKERS: infrastructure.kafkaBrokers,
  };
  const logDir = join(resources.dataDir, 'logs');
  const ledger = (resources.ledger = await LedgerProcess.start({
    repoRoot,
    logDir,
    env,
    readyTimeoutMs: LEDGER_READY_TIMEOUT_MS,
    signal,
  }));
  record.logFiles.ledger = ledger.logFile;
  if (infrastructure.postgres) await database.enableWalTiming();
  record.postgresSettings = await database.settings();
  record.versions.postgres = record.postgresSettings.server_version ?? 'unknown';
  signal.throwIfAborted();
  const adminApiKey = `rtp_api_bench_admin_${randomBytes(24).toString('base64url')}`;
  const gateway = (resources.gateway = await GatewayProcess.start({
    repoRoot,
    logDir,
    port: await services.freePort(),
    env: { ...env, ADMIN_API_KEY: adminApiKey },
    readyTimeoutMs: GATEWAY_READY_TIMEOUT_MS,
  }));
  record.logFiles.gateway = gateway.logFile;
  record.phases.servicesStartSeconds = secondsSince(phaseStart);
  log(`ledger ${ledger.url} (pid ${ledger.pid}), gateway ${gateway.url} (pid ${gateway.pid})`);
  return {
    config,
    signal,
    log,
    database,
    adminApiKey,
    statements,
    calibration,
    pids: {
      gateway: gateway.pid,
      ledger: ledger.pid,
      kafka: infrastructure.kafkaPid,
      postmaster: infrastructure.postgres?.pid ?? postmasterOf(await database.backendPid()),
    },
    probe: new PipelineProbe(admin, database, record.serviceSettings.ledger.LEDGER_CONSUMER_GROUP),
    gatewayUrl: gateway.url,
    ledgerMetricsUrl: `${ledger.url}/metrics`,
    runTag: randomBytes(4).toString('hex'),
  };
}
