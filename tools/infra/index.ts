// Starts the platform's infrastructure on this machine (no Docker): Debian's PostgreSQL and a
// single-node KRaft Apache Kafka from the official jars. Each is skipped when its URL is given.
import { join } from 'node:path';
import { ensureKafkaJars, KafkaOptions, startKafka } from './kafka';
import { assertPortFree, findFreePort } from './ports';
import { claimPostgresPort, PostgresServer, startPostgres } from './postgres';

export { findFreePort };

type Log = (message: string) => void;

/** Kafka that can be stopped and started again on the same data and ports. */
export interface RestartableKafka {
  brokers: string;
  readonly pid: number;
  readonly exited: Promise<unknown>;
  stop(): Promise<void>;
  /** Stops the broker if it still runs (SIGTERM, then SIGKILL), then starts it again. */
  restart(): Promise<void>;
}

export interface InfrastructureOptions {
  repoRoot: string;
  dataDir: string;
  /** DATABASE_URL / KAFKA_BROKERS, when given, are used instead of starting a server. */
  env: Record<string, string | undefined>;
  /** A free port is found for each one not given. */
  ports: { postgres?: number; kafka?: number; kafkaController?: number };
  log: Log;
  /** Also a streaming read replica of the started PostgreSQL. */
  readReplica?: boolean;
  /** The variables that choose each port, named when a port is taken. */
  portSettings?: { postgres?: string; kafka?: string; kafkaController?: string };
}

export interface StartedInfrastructure {
  databaseUrl: string;
  kafkaBrokers: string;
  /** The replica's URL when one was asked for and PostgreSQL was started here. */
  readDatabaseUrl: string | null;
  stop(): Promise<void>;
  /** Null when DATABASE_URL was given. */
  postgres: PostgresServer | null;
  /** Null when KAFKA_BROKERS was given. */
  kafka: RestartableKafka | null;
}

async function startRestartableKafka(options: KafkaOptions): Promise<RestartableKafka> {
  let broker = await startKafka(options);
  return {
    brokers: broker.brokers,
    get pid() {
      return broker.pid;
    },
    get exited() {
      return broker.exited;
    },
    stop: () => broker.stop(),
    async restart() {
      await broker.stop();
      broker = await startKafka(options);
    },
  };
}

interface KafkaPorts {
  port: number;
  controllerPort: number;
}

/** Every port is claimed before anything starts, so that a refusal leaves nothing behind. */
async function claimPorts(options: InfrastructureOptions, postgresPort: number, kafka: KafkaPorts) {
  const settings = options.portSettings ?? {};
  if (!options.env.DATABASE_URL) {
    await claimPostgresPort({
      dataDir: join(options.dataDir, 'postgres'),
      port: postgresPort,
      portSetting: settings.postgres,
      log: options.log,
    });
  }
  if (!options.env.KAFKA_BROKERS) {
    await assertPortFree(kafka.port, { what: 'Kafka', setting: settings.kafka });
    await assertPortFree(kafka.controllerPort, {
      what: 'Kafka controller',
      setting: settings.kafkaController,
    });
  }
}

/** What has started so far, and how to stop it (last started, first stopped). */
class Started {
  postgres: PostgresServer | null = null;
  readDatabaseUrl: string | null = null;
  kafka: RestartableKafka | null = null;
  private readonly stops: Array<() => Promise<void>> = [];

  constructor(private readonly log: Log) {}

  add(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  readonly stop = async (): Promise<void> => {
    for (const stop of [...this.stops].reverse()) {
      await stop().catch((error: Error) => this.log(`stop failed: ${error.message}`));
    }
  };
}

async function startPostgresPair(options: InfrastructureOptions, port: number, started: Started) {
  const { log } = options;
  const postgres = await startPostgres({
    dataDir: join(options.dataDir, 'postgres'),
    port,
    log,
    portSetting: options.portSettings?.postgres,
  });
  started.postgres = postgres;
  started.add(() => postgres.stop());
  if (!options.readReplica) return;
  const replica = await startPostgres({
    dataDir: join(options.dataDir, 'postgres-replica'),
    port: await findFreePort(),
    replicaOf: { port },
    log,
  });
  started.add(() => replica.stop());
  started.readDatabaseUrl = replica.databaseUrl;
}

async function startOwnKafka(options: InfrastructureOptions, ports: KafkaPorts, started: Started) {
  const { repoRoot, log } = options;
  await ensureKafkaJars({ repoRoot, log });
  const kafka = await startRestartableKafka({
    repoRoot,
    dataDir: join(options.dataDir, 'kafka'),
    ...ports,
    log,
    portSetting: options.portSettings?.kafka,
    controllerPortSetting: options.portSettings?.kafkaController,
  });
  started.kafka = kafka;
  started.add(() => kafka.stop());
}

/** Starts what is not given (in parallel) and returns the URLs, `stop`, and the servers. */
export async function startInfrastructure(
  options: InfrastructureOptions,
): Promise<StartedInfrastructure> {
  const { env, ports, log } = options;
  const started = new Started(log);
  const postgresPort = ports.postgres ?? (await findFreePort());
  const kafkaPorts = {
    port: ports.kafka ?? (await findFreePort()),
    controllerPort: ports.kafkaController ?? (await findFreePort()),
  };
  await claimPorts(options, postgresPort, kafkaPorts);
  // Settle both before deciding: a failure of one must not orphan the other while it starts.
  const results = await Promise.allSettled([
    env.DATABASE_URL
      ? Promise.resolve(log(`PostgreSQL: using DATABASE_URL`))
      : startPostgresPair(options, postgresPort, started),
    env.KAFKA_BROKERS
      ? Promise.resolve(log(`Kafka: using KAFKA_BROKERS=${env.KAFKA_BROKERS}`))
      : startOwnKafka(options, kafkaPorts, started),
  ]);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await started.stop();
    throw failure.reason;
  }
  return {
    databaseUrl: started.postgres?.databaseUrl ?? env.DATABASE_URL ?? '',
    kafkaBrokers: started.kafka?.brokers ?? env.KAFKA_BROKERS ?? '',
    readDatabaseUrl: started.readDatabaseUrl,
    stop: started.stop,
    postgres: started.postgres,
    kafka: started.kafka,
  };
}
