import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listenerPid } from './process-cpu';
import { STATEMENT_STATISTICS_SETTINGS } from './statement-counter';

interface StoppableServer {
  pid: number;
  stop(): Promise<void>;
}

interface PostgresServer extends StoppableServer {
  databaseUrl: string;
  /** Lets it outlive this process (--keep). */
  detach(): void;
}

interface PostgresModule {
  findPostgresBin(): string;
  startPostgres(options: {
    dataDir: string;
    port: number;
    log: (message: string) => void;
    settings: Record<string, string>;
  }): Promise<PostgresServer>;
}

interface KafkaModule {
  findFreePort(): Promise<number>;
  readKafkaVersion(repoRoot: string): string;
  startKafka(options: {
    repoRoot: string;
    dataDir: string;
    port: number;
    controllerPort: number;
    log: (message: string) => void;
  }): Promise<StoppableServer & { brokers: string }>;
}

/**
 * @swc-node/register compiles to CommonJS, where `import()` of an .mjs becomes `require()`; this
 * one stays an import (for ES modules, and those with top-level await that require() refuses).
 */
export const importModule = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

export interface Infrastructure {
  databaseUrl: string;
  kafkaBrokers: string;
  /** The postmaster, when we started PostgreSQL (otherwise found through a backend's parent). */
  postgres: PostgresServer | null;
  /** The data folder of the cluster we started, null for a given one. */
  postgresClusterDir: string | null;
  /** Debian's PostgreSQL binaries (pgbench for the calibration); null if not installed. */
  postgresBin: string | null;
  kafka: StoppableServer | null;
  kafkaPid: number | null;
  kafkaVersion: string;
}

/**
 * PostgreSQL and Kafka as tools/infra/index.mjs starts them, but each through its own module so
 * that the benchmark knows their pids and can leave PostgreSQL running for `--keep`.
 */
export async function startBenchInfrastructure(options: {
  repoRoot: string;
  dataDir: string;
  databaseUrl: string | undefined;
  kafkaBrokers: string | undefined;
  log: (message: string) => void;
}): Promise<Infrastructure> {
  const { repoRoot, dataDir, log } = options;
  const load = (file: string) =>
    importModule(pathToFileURL(join(repoRoot, 'tools', 'infra', file)).href);
  const postgresModule = (await load('postgres.mjs')) as PostgresModule;
  const kafkaModule = (await load('kafka.mjs')) as KafkaModule;
  // Found together, so that the three ports are distinct.
  const [postgresPort, kafkaPort, controllerPort] = await Promise.all(
    [1, 2, 3].map(() => kafkaModule.findFreePort()),
  );
  // Settle both before deciding: a failure of one must not orphan the other while it starts.
  const [postgresResult, kafkaResult] = await Promise.allSettled([
    options.databaseUrl
      ? null
      : postgresModule.startPostgres({
          dataDir: join(dataDir, 'postgres'),
          port: postgresPort,
          log,
          settings: STATEMENT_STATISTICS_SETTINGS,
        }),
    options.kafkaBrokers
      ? null
      : kafkaModule.startKafka({
          repoRoot,
          dataDir: join(dataDir, 'kafka'),
          port: kafkaPort,
          controllerPort,
          log,
        }),
  ]);
  if (postgresResult.status === 'rejected' || kafkaResult.status === 'rejected') {
    for (const result of [kafkaResult, postgresResult]) {
      if (result.status === 'fulfilled') await result.value?.stop().catch(() => undefined);
    }
    throw postgresResult.status === 'rejected'
      ? postgresResult.reason
      : (kafkaResult as PromiseRejectedResult).reason;
  }
  const postgres = postgresResult.value;
  const kafka = kafkaResult.value;
  const kafkaBrokers = options.kafkaBrokers ?? kafka!.brokers;
  const pomVersion = kafkaModule.readKafkaVersion(repoRoot);
  return {
    databaseUrl: options.databaseUrl ?? postgres!.databaseUrl,
    kafkaBrokers,
    postgres,
    postgresClusterDir: postgres ? join(dataDir, 'postgres', 'cluster') : null,
    postgresBin: postgresBinOf(postgresModule),
    kafka,
    kafkaPid: kafka?.pid ?? externalBrokerPid(kafkaBrokers),
    kafkaVersion: kafka ? pomVersion : `external (deploy/kafka/pom.xml says ${pomVersion})`,
  };
}

function postgresBinOf(postgresModule: PostgresModule): string | null {
  try {
    return postgresModule.findPostgresBin();
  } catch {
    return null;
  }
}

function externalBrokerPid(brokers: string): number | null {
  const [host, port] = brokers.split(',')[0].split(':');
  if (!['127.0.0.1', 'localhost'].includes(host)) return null;
  return listenerPid(Number(port));
}
