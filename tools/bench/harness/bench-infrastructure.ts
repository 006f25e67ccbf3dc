import { join } from 'node:path';
import { findFreePort, readKafkaVersion, startKafka } from '../../infra/kafka';
import { PostgresServer, findPostgresBin, startPostgres } from '../../infra/postgres';
import { listenerPid } from './process-cpu';
import { STATEMENT_STATISTICS_SETTINGS } from './statement-counter';

interface StoppableServer {
  pid: number;
  stop(): Promise<void>;
}

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
 * PostgreSQL and Kafka as tools/infra/index.ts starts them, but each through its own module so
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
  // Found together, so that the three ports are distinct.
  const [postgresPort, kafkaPort, controllerPort] = await Promise.all(
    [1, 2, 3].map(() => findFreePort()),
  );
  // Settle both before deciding: a failure of one must not orphan the other while it starts.
  const [postgresResult, kafkaResult] = await Promise.allSettled([
    options.databaseUrl
      ? null
      : startPostgres({
          dataDir: join(dataDir, 'postgres'),
          port: postgresPort,
          log,
          settings: STATEMENT_STATISTICS_SETTINGS,
        }),
    options.kafkaBrokers
      ? null
      : startKafka({
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
  const pomVersion = readKafkaVersion(repoRoot);
  return {
    databaseUrl: options.databaseUrl ?? postgres!.databaseUrl,
    kafkaBrokers,
    postgres,
    postgresClusterDir: postgres ? join(dataDir, 'postgres', 'cluster') : null,
    postgresBin: postgresBinOf(),
    kafka,
    kafkaPid: kafka?.pid ?? externalBrokerPid(kafkaBrokers),
    kafkaVersion: kafka ? pomVersion : `external (deploy/kafka/pom.xml says ${pomVersion})`,
  };
}

function postgresBinOf(): string | null {
  try {
    return findPostgresBin();
  } catch {
    return null;
  }
}

function externalBrokerPid(brokers: string): number | null {
  const [host, port] = brokers.split(',')[0].split(':');
  if (!['127.0.0.1', 'localhost'].includes(host)) return null;
  return listenerPid(Number(port));
}
