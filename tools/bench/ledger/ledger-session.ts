import { join } from 'node:path';
import { Producer } from 'kafkajs';
import { Infrastructure } from '../harness/bench-infrastructure';
import { BenchDatabase } from '../harness/bench-database';
import { BenchResources } from '../harness/bench-resources';
import { CommandLag } from '../harness/command-lag';
import { LEDGER, ServiceProcess } from '../harness/service-process';
import { StatementCounter } from '../harness/statement-counter';
import { BenchConfig } from './ledger-bench-config';
import { LedgerRunRecord } from './ledger-record';
import { Watch } from './wait-for-ledger';
import { WorkloadPlan } from './workload-plan';

const LEDGER_READY_TIMEOUT_MS = 180_000;

export interface RunContext {
  repoRoot: string;
  config: BenchConfig;
  resources: BenchResources;
  record: LedgerRunRecord;
  signal: AbortSignal;
  log: (message: string) => void;
}

/** What the phases share once the infrastructure and the clients are up. */
export interface Session extends RunContext {
  infrastructure: Infrastructure;
  database: BenchDatabase;
  producer: Producer;
  lag: CommandLag;
  plan: WorkloadPlan;
  statements: StatementCounter;
}

/**
 * A ledger process in the ledger's consumer group; the first is `ledger`, the others `ledger-2`,
 * ... with their own log folder (the log file is named by the app).
 */
export async function startLedger(session: Session, number = 1): Promise<ServiceProcess> {
  const { repoRoot, resources, infrastructure, record, signal } = session;
  const name = number === 1 ? LEDGER.app : `${LEDGER.app}-${number}`;
  const ledger = await ServiceProcess.start({
    kind: LEDGER,
    repoRoot,
    logDir: join(resources.dataDir, 'logs', ...(number === 1 ? [] : [name])),
    env: { DATABASE_URL: infrastructure.databaseUrl, KAFKA_BROKERS: infrastructure.kafkaBrokers },
    readyTimeoutMs: LEDGER_READY_TIMEOUT_MS,
    signal,
  });
  resources.services.set(name, ledger);
  if (number === 1) record.ledgerLogFile = ledger.logFile;
  return ledger;
}

export function watch(session: Session, ledger: ServiceProcess): Watch {
  const { lag, database, signal, log } = session;
  return { ledger, lag, database, signal, log };
}
