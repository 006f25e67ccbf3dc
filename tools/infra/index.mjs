// Starts the platform's infrastructure on this machine (no Docker): Debian's PostgreSQL and a
// single-node KRaft Apache Kafka from the official jars. Each is skipped when its URL is given.
import { join } from 'node:path';
import { startPostgres } from './postgres.mjs';
import { ensureKafkaJars, findFreePort, startKafka } from './kafka.mjs';

export { findFreePort };

/**
 * @param {{ repoRoot: string, dataDir: string, env: Record<string,string|undefined>,
 *   ports: { postgres?: number, kafka?: number, kafkaController?: number }, log: (m: string) => void,
 *   readReplica?: boolean }} options  readReplica: also a streaming read replica of the started PostgreSQL
 */
export async function startInfrastructure({ repoRoot, dataDir, env, ports, log, readReplica = false }) {
  const stops = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error) => log(`stop failed: ${error.message}`));
  };
  let readDatabaseUrl = null;
  try {
    const [databaseUrl, kafkaBrokers] = await Promise.all([
      (async () => {
        if (env.DATABASE_URL) {
          log(`PostgreSQL: using DATABASE_URL`);
          return env.DATABASE_URL;
        }
        const port = ports.postgres ?? (await findFreePort());
        const postgres = await startPostgres({ dataDir: join(dataDir, 'postgres'), port, log });
        stops.push(() => postgres.stop());
        if (readReplica) {
          const replica = await startPostgres({ dataDir: join(dataDir, 'postgres-replica'),
            port: await findFreePort(), replicaOf: { port }, log });
          stops.push(() => replica.stop());
          readDatabaseUrl = replica.databaseUrl;
        }
        return postgres.databaseUrl;
      })(),
      (async () => {
        if (env.KAFKA_BROKERS) {
          log(`Kafka: using KAFKA_BROKERS=${env.KAFKA_BROKERS}`);
          return env.KAFKA_BROKERS;
        }
        await ensureKafkaJars({ repoRoot, log });
        const kafka = await startKafka({
          repoRoot,
          dataDir: join(dataDir, 'kafka'),
          port: ports.kafka ?? (await findFreePort()),
          controllerPort: ports.kafkaController ?? (await findFreePort()),
          log,
        });
        stops.push(() => kafka.stop());
        return kafka.brokers;
      })(),
    ]);
    return { databaseUrl, kafkaBrokers, readDatabaseUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
