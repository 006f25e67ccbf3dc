import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TOPICS } from '@rtp/contracts';
import { Producer } from 'kafkajs';
import { createIdempotentProducer, createKafka } from '@rtp/shared/kafka';
import { BenchConfig } from './bench-config';
import { Infrastructure, startBenchInfrastructure } from './bench-infrastructure';
import { BenchResources } from './bench-resources';
import { CommandLag, CommandPosition } from './command-lag';
import { ConnectionStateSampler } from './connection-states';
import { drainFigures } from './drain-figures';
import { LedgerDatabase } from './ledger-database';
import { LedgerProcess } from './ledger-process';
import { postmasterOf } from './process-cpu';
import { SnapshotTaker } from './snapshot';
import { checkMoney, checkSeed } from './run-checks';
import { RunRecord } from './run-record';
import {
  DrainResult, Watch, stableFor, waitForDrain, waitForOutbox, waitUntilSettled,
} from './wait-for-ledger';
import { WorkloadPlan, planWorkload, transferCommandPattern } from './workload-plan';
import { produceSeed, produceTransfers } from './workload-producer';

const LEDGER_READY_TIMEOUT_MS = 180_000;
const OUTBOX_WAIT_MS_MAX = 60_000;

export interface RunContext {
  repoRoot: string;
  config: BenchConfig;
  resources: BenchResources;
  record: RunRecord;
  signal: AbortSignal;
  log: (message: string) => void;
}

const seconds = (since: number) => (performance.now() - since) / 1_000;

/** What the phases share once the infrastructure and the clients are up. */
interface Session extends RunContext {
  infrastructure: Infrastructure;
  database: LedgerDatabase;
  producer: Producer;
  lag: CommandLag;
  plan: WorkloadPlan;
}

/** Infrastructure, seeding, preloading with the ledger stopped, then the measured drain. */
export async function runBenchmark(context: RunContext): Promise<void> {
  const session = await connect(context);
  await seed(session);
  const beforeRestart = await preload(session);
  const completed = await measureDrain(session, beforeRestart);
  if (completed) await checkAfterDrain(session, completed);
}

async function connect(context: RunContext): Promise<Session> {
  const { repoRoot, config, resources, record, signal, log } = context;
  const phaseStart = performance.now();
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
  record.phases.infrastructureSeconds = seconds(phaseStart);
  signal.throwIfAborted();
  const database = (resources.database = new LedgerDatabase(infrastructure.databaseUrl));
  const kafka = createKafka({
    brokers: infrastructure.kafkaBrokers.split(','), clientId: 'ledger-bench',
    connectionTimeoutMs: 10_000, requestTimeoutMs: 60_000,
  });
  const admin = (resources.admin = kafka.admin());
  await admin.connect();
  const producer = (resources.producer = createIdempotentProducer(kafka));
  await producer.connect();
  const plan = (record.plan = planWorkload(config));
  log(`run ${plan.runId}: ${config.accounts} accounts (${config.hotAccounts} hot), ` +
    `${config.transfers} transfers`);
  const lag = new CommandLag(admin, database, config.consumerGroup, TOPICS.ledgerCommands);
  return { ...context, infrastructure, database, producer, lag, plan };
}

async function startLedger(session: Session): Promise<LedgerProcess> {
  const { repoRoot, resources, infrastructure, record, signal } = session;
  const ledger = await LedgerProcess.start({
    repoRoot, logDir: join(resources.dataDir, 'logs'),
    env: { DATABASE_URL: infrastructure.databaseUrl, KAFKA_BROKERS: infrastructure.kafkaBrokers },
    readyTimeoutMs: LEDGER_READY_TIMEOUT_MS, signal,
  });
  resources.ledger = ledger;
  record.ledgerLogFile = ledger.logFile;
  return ledger;
}

function watch(session: Session, ledger: LedgerProcess): Watch {
  const { lag, database, signal, log } = session;
  return { ledger, lag, database, signal, log };
}

/** Opens and funds the accounts through a first ledger, which also creates topics and schema. */
async function seed(session: Session): Promise<void> {
  const { config, database, record, plan, log } = session;
  const phaseStart = performance.now();
  const ledger = await startLedger(session);
  if (session.infrastructure.postgres) await database.enableWalTiming();
  record.postgresSettings = await database.settings();
  record.versions.postgres = record.postgresSettings.server_version ?? 'unknown';
  const seedCommands = await produceSeed(session.producer, plan, session.signal);
  log(`seed: ${seedCommands} commands sent; waiting for the ledger to process them`);
  await waitUntilSettled(watch(session, ledger), config.seedTimeoutMs);
  await checkSeed(database, plan.runId, config.accounts);
  record.phases.seedSeconds = seconds(phaseStart);
}

/** Stops the ledger and fills the topic; returns the position the restarted ledger starts from. */
async function preload(session: Session): Promise<CommandPosition> {
  const { record, log } = session;
  log('stopping the ledger to preload the transfers');
  await session.resources.stopLedger();
  const phaseStart = performance.now();
  const sent = await produceTransfers(session.producer, session.plan, session.signal);
  const preloadSeconds = (record.phases.preloadSeconds = seconds(phaseStart));
  record.phases.preloadMessagesPerSecond = Math.round(sent / preloadSeconds);
  const position = await session.lag.position();
  log(`preloaded ${sent} TransferFunds in ${preloadSeconds.toFixed(1)} s; lag ${position.lag}`);
  return position;
}

/** Restarts the ledger and measures until every transfer is terminal or the time is up. */
async function measureDrain(session: Session, beforeRestart: CommandPosition):
  Promise<{ ledger: LedgerProcess; drain: DrainResult } | null> {
  const { config, database, record, infrastructure, log } = session;
  const ledger = await startLedger(session);
  record.phases.ledgerStartToReadySeconds = ledger.startSeconds;
  const snapshots = new SnapshotTaker(session.lag, database, `${ledger.url}/metrics`, {
    ledger: ledger.pid,
    postmaster: infrastructure.postgres?.pid ?? postmasterOf(await database.backendPid()),
    kafka: infrastructure.kafkaPid,
  });
  const start = await snapshots.take();
  log(`ledger ready (pid ${ledger.pid}); measuring the drain`);
  const sampler = new ConnectionStateSampler(database, 'ledger');
  const drain = await waitForDrain(watch(session, ledger), snapshots, start, {
    transfers: config.transfers,
    pattern: transferCommandPattern(session.plan),
    timeoutMs: config.drainTimeoutMs,
    sampler,
  });
  record.status = drain.status;
  record.drain = drainFigures({
    ...drain,
    transfers: config.transfers,
    beforeRestart,
    start,
    connectionStates: sampler.summary(),
  });
  return drain.status === 'completed' ? { ledger, drain } : null;
}

async function checkAfterDrain(
  session: Session, { ledger, drain }: { ledger: LedgerProcess; drain: DrainResult },
): Promise<void> {
  const { record, plan, database } = session;
  // The outbox first: the stability check waits a second, which would hide how soon it emptied.
  const outboxSeconds =
    await waitForOutbox(watch(session, ledger), drain.end.at, OUTBOX_WAIT_MS_MAX);
  record.checks.outboxPublishedSecondsAfterDrain =
    outboxSeconds === null ? null : Math.round(outboxSeconds * 1_000) / 1_000;
  record.checks.stableForOneSecondAfterDrain = await stableFor(watch(session, ledger), drain.end);
  record.checks.money = await checkMoney(database, plan);
}
