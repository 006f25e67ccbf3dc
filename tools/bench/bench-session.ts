import { join } from 'node:path';
import { Producer } from 'kafkajs';
import { BenchConfig } from './bench-config';
import { Infrastructure } from './bench-infrastructure';
import { BenchResources } from './bench-resources';
import { CommandLag } from './command-lag';
import { LedgerDatabase } from './ledger-database';
import { LedgerProcess } from './ledger-process';
import { RunRecord } from './run-record';
import { StatementCounter } from './statement-counter';
import { Watch } from './wait-for-ledger';
import { WorkloadPlan } from './workload-plan';

const LEDGER_READY_TIMEOUT_MS = 180_000;

export interface RunContext {
  repoRoot: string;
  config: BenchConfig;
  resources: BenchResources;
  record: RunRecord;
  signal: AbortSignal;
  log: (message: string) => void;
}

/** What the phases share once the infrastructure and the clients are up. */
export interface Session extends RunContext {
  infrastructure: Infrastructure;
  database: LedgerDatabase;
  producer: Producer;
  lag: CommandLag;
  plan: WorkloadPlan;
  statements: StatementCounter;
}

export async function startLedger(session: Session): Promise<LedgerProcess> {
  const { repoRoot, resources, infrastructure, record, signal } = session;
  const ledger = await LedgerProcess.start({
    repoRoot,
    logDir: join(resources.dataDir, 'logs'),
    env: { DATABASE_URL: infrastructure.databaseUrl, KAFKA_BROKERS: infrastructure.kafkaBrokers },
    readyTimeoutMs: LEDGER_READY_TIMEOUT_MS,
    signal,
  });
  resources.ledger = ledger;
  record.ledgerLogFile = ledger.logFile;
  return ledger;
}

export function watch(session: Session, ledger: LedgerProcess): Watch {
  const { lag, database, signal, log } = session;
  return { ledger, lag, database, signal, log };
}
