// Starts the platform's infrastructure on this machine (no Docker): Debian's PostgreSQL and a
// single-node KRaft Apache Kafka from the official jars. Each is skipped when its URL is given.
import { join } from 'node:path';
import { assertPortFree } from './ports.mjs';
import { claimPostgresPort, startPostgres } from './postgres.mjs';
import { ensureKafkaJars, findFreePort, startKafka } from './kafka.mjs';

export { findFreePort };

/**
 * Kafka that can be killed and started again on the same data and ports (npm run chaos).
 * @param {Parameters<typeof startKafka>[0]} options
 */
async function startRestartableKafka(options) {
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
    /** Stops the broker if it still runs (SIGTERM, then SIGKILL), then starts it again. */
    async restart() {
      await broker.stop();
      broker = await startKafka(options);
    },
  };
}

/**
 * @param {{ repoRoot: string, dataDir: string, env: Record<string,string|undefined>,
 *   ports: { postgres?: number, kafka?: number, kafkaController?: number }, log: (m: string) => void,
 *   readReplica?: boolean,
 *   portSettings?: { postgres?: string, kafka?: string, kafkaController?: string } }} options
 *   readReplica: also a streaming read replica of the started PostgreSQL; portSettings: the
 *   variables that choose each port, named when a port is taken
 * @returns the URLs, `stop`, and the started servers (`postgres`: pid, restart; `kafka`: pid,
 *   restart), each null when its URL was given
 */
export async function startInfrastructure({
  repoRoot,
  dataDir,
  env,
  ports,
  log,
  readReplica = false,
  portSettings = {},
}) {
  const stops = [];
  const stop = async () => {
    for (const fn of stops.reverse())
      await fn().catch((error) => log(`stop failed: ${error.message}`));
  };
  const startsPostgres = !env.DATABASE_URL;
  const startsKafka = !env.KAFKA_BROKERS;
  const postgresPort = ports.postgres ?? (await findFreePort());
  const kafkaPorts = {
    port: ports.kafka ?? (await findFreePort()),
    controllerPort: ports.kafkaController ?? (await findFreePort()),
  };
  // Every port is claimed before anything starts, so that a refusal leaves nothing behind.
  if (startsPostgres) {
    await claimPostgresPort({
      dataDir: join(dataDir, 'postgres'),
      port: postgresPort,
      portSetting: portSettings.postgres,
      log,
    });
  }
  if (startsKafka) {
    await assertPortFree(kafkaPorts.port, { what: 'Kafka', setting: portSettings.kafka });
    await assertPortFree(kafkaPorts.controllerPort, {
      what: 'Kafka controller',
      setting: portSettings.kafkaController,
    });
  }
  let postgres = null;
  let kafka = null;
  let readDatabaseUrl = null;
  // Settle both before deciding: a failure of one must not orphan the other while it starts.
  const results = await Promise.allSettled([
    (async () => {
      if (!startsPostgres) {
        log(`PostgreSQL: using DATABASE_URL`);
        return;
      }
      postgres = await startPostgres({
        dataDir: join(dataDir, 'postgres'),
        port: postgresPort,
        log,
        portSetting: portSettings.postgres,
      });
      stops.push(() => postgres.stop());
      if (readReplica) {
        const replica = await startPostgres({
          dataDir: join(dataDir, 'postgres-replica'),
          port: await findFreePort(),
          replicaOf: { port: postgresPort },
          log,
        });
        stops.push(() => replica.stop());
        readDatabaseUrl = replica.databaseUrl;
      }
    })(),
    (async () => {
      if (!startsKafka) {
        log(`Kafka: using KAFKA_BROKERS=${env.KAFKA_BROKERS}`);
        return;
      }
      await ensureKafkaJars({ repoRoot, log });
      kafka = await startRestartableKafka({
        repoRoot,
        dataDir: join(dataDir, 'kafka'),
        ...kafkaPorts,
        log,
        portSetting: portSettings.kafka,
        controllerPortSetting: portSettings.kafkaController,
      });
      stops.push(() => kafka.stop());
    })(),
  ]);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return {
    databaseUrl: postgres?.databaseUrl ?? env.DATABASE_URL,
    kafkaBrokers: kafka?.brokers ?? env.KAFKA_BROKERS,
    readDatabaseUrl,
    stop,
    postgres,
    kafka,
  };
}
