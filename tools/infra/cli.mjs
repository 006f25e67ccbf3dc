// `npm run infra`: only PostgreSQL and Kafka (in .local/data, as `npm start` uses them), for running
// services or tests by hand. Prints the environment to export; Ctrl-C stops both.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startInfrastructure } from './index.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (message) => console.log(`[infra] ${message}`);
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
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await infrastructure.stop();
    process.exit(0);
  });
}
