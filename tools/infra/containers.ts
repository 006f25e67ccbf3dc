// Where a Docker engine exists, tests may run Kafka and PostgreSQL in containers via testcontainers
// instead of the local processes. The development machine here has only the Docker client, so this
// path is chosen automatically only when `docker info` answers.
import { spawnSync } from 'node:child_process';
import type { StartedInfrastructure } from './index';

const POSTGRES_IMAGE = 'postgres:17';
/** Confluent's image carries Apache Kafka 4.x in KRaft mode; @testcontainers/kafka drives it. */
const KAFKA_IMAGE = 'confluentinc/cp-kafka:8.1.0';
const KAFKA_CLIENT_PORT = 9093;

export function dockerEngineAvailable(): boolean {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    stdio: 'ignore',
    timeout: 10_000,
  });
  return result.status === 0;
}

/** Like startInfrastructure, without the servers' processes (no pid to pause, no restart). */
export async function startContainers({
  log,
}: {
  log: (message: string) => void;
}): Promise<StartedInfrastructure> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  log(`starting ${POSTGRES_IMAGE} and ${KAFKA_IMAGE} with testcontainers`);
  const [postgres, kafka] = await Promise.all([
    new PostgreSqlContainer(POSTGRES_IMAGE)
      .withDatabase('payments')
      .withUsername('rtp')
      .withPassword('rtp')
      .start(),
    new KafkaContainer(KAFKA_IMAGE).withKraft().start(),
  ]);
  return {
    databaseUrl: postgres.getConnectionUri(),
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(KAFKA_CLIENT_PORT)}`,
    readDatabaseUrl: null,
    postgres: null,
    kafka: null,
    async stop() {
      await Promise.all([postgres.stop(), kafka.stop()]);
    },
  };
}
