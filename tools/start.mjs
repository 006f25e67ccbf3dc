// `npm start`: infrastructure, topics and schemas, every service and the sandbox bank, on this machine.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startInfrastructure } from './infra/index.mjs';
import { SERVICES, startService, waitForReady } from './services.cjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const localDir = join(repoRoot, '.local');
const READY_TIMEOUT_MS = 180_000;
const log = (message) => console.log(`[start] ${message}`);

function developmentAdminKey() {
  if (process.env.ADMIN_API_KEY) return process.env.ADMIN_API_KEY;
  const file = join(localDir, 'admin-api-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `rtp_dev_admin_${randomBytes(24).toString('base64url')}`;
  mkdirSync(localDir, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

async function main() {
  const started = Date.now();
  const infrastructure = await startInfrastructure({
    repoRoot,
    dataDir: join(localDir, 'data'),
    env: process.env,
    ports: { postgres: 54329, kafka: 19092, kafkaController: 19093 },
    log,
  });
  const adminApiKey = developmentAdminKey();
  const env = {
    DATABASE_URL: infrastructure.databaseUrl,
    KAFKA_BROKERS: infrastructure.kafkaBrokers,
    ADMIN_API_KEY: adminApiKey,
  };
  const services = [];
  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    log('stopping services…');
    await Promise.all(services.map((service) => service.stop()));
    log('stopping infrastructure…');
    await infrastructure.stop();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
  const logDir = join(localDir, 'logs');
  try {
    // The ledger first: it creates the topics and its schema before the others need them.
    const [ledger, ...others] = SERVICES;
    for (const group of [[ledger], others]) {
      const batch = group.map((service) => ({ ...service, handle: startService({ repoRoot, app: service.app,
        env: { ...env, [service.portVariable]: String(service.port) }, logDir }) }));
      services.push(...batch.map((service) => service.handle));
      batch.forEach((service) => service.handle.exited.then(({ code, signal }) => {
        if (!stopping) log(`${service.app} exited (${signal ?? code}); see .local/logs/${service.app}.log`);
      }));
      await Promise.all(batch.map((service) =>
        waitForReady(`http://127.0.0.1:${service.port}/health/ready`, READY_TIMEOUT_MS, service.handle)));
    }
  } catch (error) {
    log(`failed: ${error.message}`);
    await stopAll(1);
    return;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
Real-time payments platform is up (${seconds} s).

  gateway         http://127.0.0.1:3000   (public REST API)
  ledger          http://127.0.0.1:3001   (health, metrics)
  partner-adapter http://127.0.0.1:3002   (health, metrics)
  reconciler      http://127.0.0.1:3003   (health, metrics)
  sandbox-bank    http://127.0.0.1:3004   (stand-in partner bank)

  PostgreSQL      ${infrastructure.databaseUrl}
  Kafka           ${infrastructure.kafkaBrokers}
  Logs            .local/logs/<service>.log

  Development admin API key:
    export ADMIN_API_KEY=${adminApiKey}

Every service answers /health/live, /health/ready and /metrics. Ctrl-C stops everything.
`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
