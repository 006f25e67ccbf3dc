import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { createKafka } from '@rtp/shared/kafka';
import { setUpAccounts } from '../harness/account-setup';
import { BenchResources } from '../harness/bench-resources';
import {
  MeasuredInfrastructure,
  recordPostgresSettings,
  startMeasuredInfrastructure,
} from '../harness/measurement-setup';
import { postmasterOf } from '../harness/process-cpu';
import { GATEWAY, LEDGER, ServiceKind, ServiceProcess } from '../harness/service-process';
import { ApiBenchConfig } from './api-bench-config';
import { formatStepLine } from './api-report';
import { ApiRunRecord } from './api-run-record';
import { StepContext, runLoadStep, waitForEmptyPipeline } from './load-step';
import { PipelineProbe } from './pipeline-probe';

const LEDGER_READY_TIMEOUT_MS = 180_000;
const GATEWAY_READY_TIMEOUT_MS = 90_000;
const READY_TIMEOUT_MS: Record<ServiceKind['app'], number> = {
  ledger: LEDGER_READY_TIMEOUT_MS,
  gateway: GATEWAY_READY_TIMEOUT_MS,
};

export interface RunContext {
  repoRoot: string;
  config: ApiBenchConfig;
  resources: BenchResources;
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
  const shape = {
    ...config,
    concurrency: config.setupConcurrency,
    timeoutMs: config.setupTimeoutMs,
  };
  const clients = await setUpAccounts(platform, shape, {
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
  const pool = loadGeneratorPool(config, platform.gatewayUrl);
  resources.load = pool;
  phaseStart = performance.now();
  for (const [index, rate] of config.ratesPerSecond.entries()) {
    if (index > 0 && config.cooldownMs > 0) await sleep(config.cooldownMs, undefined, { signal });
    const step = await runLoadStep({ ...platform, pool, clients }, rate, index);
    record.steps.push(step);
    log(formatStepLine(step));
    signal.throwIfAborted();
    const stopped = ['gateway', 'ledger'].filter((app) => !resources.service(app)?.alive());
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
  const { config, resources, record, signal, log } = context;
  const measured = await startMeasuredInfrastructure({
    ...context,
    calibrationSeconds: config.calibrationSeconds,
  });
  const { infrastructure, database, statements, calibration } = measured;
  const admin = (resources.admin = createKafka({
    brokers: infrastructure.kafkaBrokers.split(','),
    clientId: 'api-bench',
    connectionTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
  }).admin());
  await admin.connect();
  const adminApiKey = `rtp_api_bench_admin_${randomBytes(24).toString('base64url')}`;
  const { ledger, gateway } = await startServices(context, measured, adminApiKey);
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

/** The ledger first (it creates the topics and its schema), then the gateway. */
async function startServices(
  context: RunContext,
  measured: MeasuredInfrastructure,
  adminApiKey: string,
): Promise<{ ledger: ServiceProcess; gateway: ServiceProcess }> {
  const { repoRoot, resources, record, signal } = context;
  const phaseStart = performance.now();
  const env = {
    DATABASE_URL: measured.infrastructure.databaseUrl,
    KAFKA_BROKERS: measured.infrastructure.kafkaBrokers,
  };
  const start = async (kind: ServiceKind, extra: Record<string, string> = {}) => {
    const service = await ServiceProcess.start({
      kind,
      repoRoot,
      logDir: join(resources.dataDir, 'logs'),
      env: { ...env, ...extra },
      readyTimeoutMs: READY_TIMEOUT_MS[kind.app],
      signal,
    });
    resources.services.set(kind.app, service);
    record.logFiles[kind.app] = service.logFile;
    return service;
  };
  const ledger = await start(LEDGER);
  await recordPostgresSettings(measured, record);
  signal.throwIfAborted();
  const gateway = await start(GATEWAY, { ADMIN_API_KEY: adminApiKey });
  record.phases.servicesStartSeconds = secondsSince(phaseStart);
  return { ledger, gateway };
}
