import { performance } from 'node:perf_hooks';
import { TOPICS } from '@rtp/contracts';
import { createIdempotentProducer, createKafka } from '@rtp/shared/kafka';
import { CommandLag, CommandPosition } from '../harness/command-lag';
import { recordPostgresSettings, startMeasuredInfrastructure } from '../harness/measurement-setup';
import { processMemory } from '../harness/process-memory';
import { checkAfterDrain, measureDrain, recordCost } from './drain-phase';
import { RunContext, Session, startLedger, watch } from './ledger-session';
import { checkSeed } from './run-checks';
import { waitUntilSettled } from './wait-for-ledger';
import { planWorkload } from './workload-plan';
import { produceSeed, produceTransfers } from './workload-producer';

export type { RunContext } from './ledger-session';

const seconds = (since: number) => (performance.now() - since) / 1_000;

/** Infrastructure, seeding, preloading with the ledger stopped, then the measured drain. */
export async function runBenchmark(context: RunContext): Promise<void> {
  await runRound(await connect(context));
}

/** Seeding, preloading and the drain of one plan, on infrastructure already up. */
export async function runRound(session: Session): Promise<void> {
  await seed(session);
  const beforeRestart = await preload(session);
  const measured = await measureDrain(session, beforeRestart);
  if (measured.drain.status === 'completed') {
    await checkAfterDrain(session, measured);
  } else {
    recordCost(
      session,
      measured,
      measured.drain.end,
      'from the ledger ready until the drain ' +
        `${measured.drain.status === 'timeout' ? 'timed out' : 'stopped'}`,
    );
  }
}

/**
 * The same infrastructure and calibration, a fresh plan (new ids and accounts, the same shape)
 * and record: `bench:scale-out`'s next round. Its ledgers must be stopped first.
 */
export function nextRound(session: Session, context: RunContext): Session {
  const { config, record } = context;
  record.calibration = session.record.calibration;
  const plan = (record.plan = planWorkload(config));
  session.log(`run ${plan.runId}: the same workload again with ${config.ledgers} ledger(s)`);
  return { ...session, config, record, plan };
}

export async function connect(context: RunContext): Promise<Session> {
  const { config, resources, record, log } = context;
  const measured = await startMeasuredInfrastructure({
    ...context,
    calibrationSeconds: config.calibrationSeconds,
  });
  const { infrastructure, database, statements } = measured;
  const kafka = createKafka({
    brokers: infrastructure.kafkaBrokers.split(','),
    clientId: 'ledger-bench',
    connectionTimeoutMs: 10_000,
    requestTimeoutMs: 60_000,
  });
  const admin = (resources.admin = kafka.admin());
  await admin.connect();
  const producer = (resources.producer = createIdempotentProducer(kafka));
  await producer.connect();
  const plan = (record.plan = planWorkload(config));
  log(
    `run ${plan.runId}: ${config.accounts} accounts (${config.hotAccounts} hot), ` +
      `${config.transfers} transfers`,
  );
  const lag = new CommandLag(admin, database, config.consumerGroup, TOPICS.ledgerCommands);
  return { ...context, infrastructure, database, producer, lag, plan, statements };
}

/** Opens and funds the accounts through a first ledger, which also creates topics and schema. */
async function seed(session: Session): Promise<void> {
  const { config, database, record, plan, log } = session;
  const phaseStart = performance.now();
  const ledger = await startLedger(session);
  await recordPostgresSettings(session, record);
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
  record.memory.seedingLedger = processMemory(session.resources.service('ledger')?.pid);
  await session.resources.stopService('ledger');
  const phaseStart = performance.now();
  const sent = await produceTransfers(session.producer, session.plan, session.signal);
  const preloadSeconds = (record.phases.preloadSeconds = seconds(phaseStart));
  record.phases.preloadMessagesPerSecond = Math.round(sent / preloadSeconds);
  const position = await session.lag.position();
  log(`preloaded ${sent} TransferFunds in ${preloadSeconds.toFixed(1)} s; lag ${position.lag}`);
  return position;
}
