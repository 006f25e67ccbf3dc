// `npm run infra`: only PostgreSQL and Kafka (in .local/data, as `npm start` uses them), for running
// services or tests by hand. Prints the environment to export; Ctrl-C stops both.
import { join } from 'node:path';
import { startInfrastructure } from './index';

const repoRoot = join(__dirname, '..', '..');
const log = (message: string) => console.log(`[infra] ${message}`);

async function main(): Promise<void> {
  const infrastructure = await startInfrastructure({
    repoRoot,
    dataDir: join(repoRoot, '.local', 'data'),
    env: {},
    ports: {
      postgres: Number(process.env.RTP_POSTGRES_PORT ?? 54329),
      kafka: Number(process.env.RTP_KAFKA_PORT ?? 19092),
      kafkaController: Number(process.env.RTP_KAFKA_CONTROLLER_PORT ?? 19093),
    },
    log,
  });
  console.log(
    `\nexport DATABASE_URL=${infrastructure.databaseUrl}\nexport KAFKA_BROKERS=${infrastructure.kafkaBrokers}\n`,
  );
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      await infrastructure.stop();
      process.exit(0);
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
