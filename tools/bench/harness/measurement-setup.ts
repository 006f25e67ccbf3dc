import { performance } from 'node:perf_hooks';
import { BenchDatabase } from './bench-database';
import { Infrastructure, startBenchInfrastructure } from './bench-infrastructure';
import { BenchResources } from './bench-resources';
import { Calibration, calibrate } from './pgbench-calibration';
import { RunRecord } from './run-record';
import { StatementCounter } from './statement-counter';

/** What every benchmark's run is given by its command. */
export interface BenchContext {
  repoRoot: string;
  config: { databaseUrl: string | undefined; kafkaBrokers: string | undefined };
  calibrationSeconds: number;
  resources: BenchResources;
  record: RunRecord<string>;
  signal: AbortSignal;
  log: (message: string) => void;
}

export interface MeasuredInfrastructure {
  infrastructure: Infrastructure;
  database: BenchDatabase;
  calibration: Calibration;
  statements: StatementCounter;
}

/**
 * PostgreSQL and Kafka (given or started), then what every benchmark does before anything loads
 * them: pgbench first (the services are not running yet, so it has the machine to itself), then
 * the statement counter.
 */
export async function startMeasuredInfrastructure(
  context: BenchContext,
): Promise<MeasuredInfrastructure> {
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
  record.phases.infrastructureSeconds = (performance.now() - phaseStart) / 1_000;
  signal.throwIfAborted();
  const database = (resources.database = new BenchDatabase(infrastructure.databaseUrl));
  const calibration = await calibrate({
    target: {
      databaseUrl: infrastructure.databaseUrl,
      postgresBin: infrastructure.postgresBin,
      clusterDir: infrastructure.postgresClusterDir,
    },
    admin: database,
    seconds: context.calibrationSeconds,
    signal,
    log,
  });
  record.calibration = calibration;
  signal.throwIfAborted();
  const statements = (resources.statements = await StatementCounter.open(
    infrastructure.databaseUrl,
  ));
  if (statements.unavailable) log(statements.unavailable);
  return { infrastructure, database, calibration, statements };
}

/**
 * Once the first ledger has created its schema: WAL timing on (only in a cluster we own), and the
 * settings and version the report shows.
 */
export async function recordPostgresSettings(
  measured: Pick<MeasuredInfrastructure, 'infrastructure' | 'database'>,
  record: RunRecord<string>,
): Promise<void> {
  if (measured.infrastructure.postgres) await measured.database.enableWalTiming();
  record.postgresSettings = await measured.database.settings();
  record.versions.postgres = record.postgresSettings.server_version ?? 'unknown';
}
