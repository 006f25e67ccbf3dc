// `npm start`: infrastructure, topics and schemas, every service and the sandbox bank, on this machine.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startInfrastructure } from './infra/index.mjs';
import { createServer } from 'node:net';
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

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Each service's port comes from its own setting (e.g. GATEWAY_PORT), defaulting to 3000-3004. */
async function servicePorts() {
  const services = SERVICES.map((service) =>
    ({ ...service, port: Number(process.env[service.portVariable] ?? service.port) }));
  for (const service of services) {
    if (!(await portIsFree(service.port))) {
      throw new Error(`port ${service.port} for ${service.app} is in use; stop what holds it or set ` +
        `${service.portVariable}`);
    }
  }
  return services;
}

async function main() {
  const started = Date.now();
  const services = await servicePorts();
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
  const handles = [];
  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    log('stopping services…');
    await Promise.all(handles.map((handle) => handle.stop()));
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
    const [ledger, ...others] = services;
    for (const group of [[ledger], others]) {
      const batch = group.map((service) => ({ ...service, handle: startService({ repoRoot, app: service.app,
        env: { ...env, [service.portVariable]: String(service.port) }, logDir }) }));
      handles.push(...batch.map((service) => service.handle));
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

${services.map((service) => `  ${service.app.padEnd(16)}http://127.0.0.1:${service.port}`).join('\n')}

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
