// `npm start`: infrastructure, topics and schemas, every service and the sandbox bank, on this machine.
// Every service is supervised: one that exits is started again with backoff (tools/supervisor.ts).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { StartedInfrastructure, startInfrastructure } from './infra/index';
import { assertPortFree } from './infra/ports';
import { SERVICES, ServiceDefinition, ServiceHandle, startService, waitForReady } from './services';
import { Supervisor, supervise } from './supervisor';
import { LocalPrometheus } from './prometheus/local-prometheus';
import { checkPrometheusPort, startPrometheusForServices } from './prometheus/start-prometheus';

const repoRoot = join(__dirname, '..');
// RTP_LOCAL_DIR: where data, logs and the admin key live (default .local), e.g. a second checkout's own.
const localDir = resolve(repoRoot, process.env.RTP_LOCAL_DIR ?? '.local');
const READY_TIMEOUT_MS = 180_000;
const INFRASTRUCTURE_PORTS = {
  postgres: { setting: 'RTP_POSTGRES_PORT', port: 54329 },
  kafka: { setting: 'RTP_KAFKA_PORT', port: 19092 },
  kafkaController: { setting: 'RTP_KAFKA_CONTROLLER_PORT', port: 19093 },
};
const log = (message: string) => console.log(`[start] ${message}`);
/** Relative to where `npm start` runs when inside it (`.local/logs/...`), absolute otherwise. */
const shown = (path: string) =>
  relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path);

/** A key from the environment, else the one kept in .local/<file>, else a new one written there. */
function developmentKey(variable: string, file: string, prefix: string): string {
  if (process.env[variable]) return process.env[variable];
  const path = join(localDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const key = `${prefix}${randomBytes(24).toString('base64url')}`;
  mkdirSync(localDir, { recursive: true });
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return key;
}

const developmentAdminKey = () =>
  developmentKey('ADMIN_API_KEY', 'admin-api-key', 'rtp_dev_admin_');
/** The bearer token of the ledger's operator endpoints, which are closed without one. */
const ledgerInternalKey = () =>
  developmentKey('LEDGER_INTERNAL_API_KEY', 'ledger-internal-api-key', 'rtp_dev_ledger_');

/**
 * The sandbox bank's keys (kept in .local like the admin key) and where it sends its webhooks:
 * the partner adapter's `POST /webhooks/bank`. The adapter reads the same values under its own
 * names (PARTNER_BANK_API_KEY, PARTNER_WEBHOOK_SECRET).
 */
function sandboxBankSettings(services: ServiceDefinition[]): Record<string, string> {
  const adapter = services.find((service) => service.app === 'partner-adapter');
  const secret = developmentKey('SANDBOX_BANK_WEBHOOK_SECRET', 'sandbox-bank-webhook-secret', '');
  return {
    SANDBOX_BANK_API_KEY: developmentKey(
      'SANDBOX_BANK_API_KEY',
      'sandbox-bank-api-key',
      'sbk_dev_',
    ),
    SANDBOX_BANK_ADMIN_KEY: developmentKey(
      'SANDBOX_BANK_ADMIN_KEY',
      'sandbox-bank-admin-key',
      'sbk_dev_admin_',
    ),
    // Standard Webhooks secrets are base64 behind `whsec_`.
    SANDBOX_BANK_WEBHOOK_SECRET: secret.startsWith('whsec_')
      ? secret
      : `whsec_${Buffer.from(secret).toString('base64')}`,
    SANDBOX_BANK_WEBHOOK_URL: `http://127.0.0.1:${adapter?.port ?? 3002}/webhooks/bank`,
  };
}

/** The partner adapter's side of the same values: the bank's URL, key and webhook secret. */
function partnerAdapterSettings(
  services: ServiceDefinition[],
  bank: Record<string, string>,
): Record<string, string> {
  const sandbox = services.find((service) => service.app === 'sandbox-bank');
  const virtualIbanBankCode =
    process.env.VIRTUAL_IBAN_BANK_CODE ?? process.env.PARTNER_VIRTUAL_IBAN_BANK_CODE ?? '10010010';
  return {
    PARTNER_BANK_URL: process.env.PARTNER_BANK_URL ?? `http://127.0.0.1:${sandbox?.port ?? 3004}`,
    PARTNER_BANK_API_KEY: bank.SANDBOX_BANK_API_KEY,
    PARTNER_WEBHOOK_SECRET: bank.SANDBOX_BANK_WEBHOOK_SECRET,
    PARTNER_SETTLEMENT_IBAN: process.env.PARTNER_SETTLEMENT_IBAN ?? 'DE89370400440532013000',
    // The gateway assigns virtual IBANs under this bank code and the adapter recognises them by
    // it: one value for both (the gateway's setting, if given, decides).
    VIRTUAL_IBAN_BANK_CODE: virtualIbanBankCode,
    PARTNER_VIRTUAL_IBAN_BANK_CODE: virtualIbanBankCode,
  };
}

function portSetting(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`${name}=${text} is not a port`);
  return port;
}

/** Each service's port comes from its own setting (e.g. GATEWAY_PORT), defaulting to 3000-3004. */
async function servicePorts(): Promise<ServiceDefinition[]> {
  const services = SERVICES.map((service) => ({
    ...service,
    port: portSetting(service.portVariable, service.port),
  }));
  for (const service of services) {
    await assertPortFree(service.port, { what: service.app, setting: service.portVariable });
  }
  return services;
}

const stopState: { requested: boolean; done: Promise<void> | null } = {
  requested: false,
  done: null,
};
/** Set as soon as it starts, so that a stop during the start waits for it and stops it. */
let infrastructureStarting: Promise<StartedInfrastructure> | null = null;
const supervisors: Supervisor[] = [];
let prometheus: LocalPrometheus | null = null;

function stopAll(code: number): Promise<void> {
  stopState.requested = true;
  stopState.done ??= (async () => {
    await prometheus?.stop();
    log('stopping services…');
    await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
    const infrastructure = await infrastructureStarting?.catch(() => null);
    if (infrastructure) {
      log('stopping infrastructure…');
      await infrastructure.stop();
    }
    log('stopped');
    process.exit(code);
  })();
  return stopState.done;
}

/** Starts the service under supervision and waits until its first run is ready. */
async function startSupervised(
  service: ServiceDefinition,
  env: Record<string, string>,
  logDir: string,
): Promise<void> {
  const logFile = shown(join(logDir, `${service.app}.log`));
  const url = `http://127.0.0.1:${service.port}/health/ready`;
  let first: ServiceHandle | null = null;
  const supervisor = supervise({
    name: service.app,
    log: (message) => log(`${message}; see ${logFile}`),
    start: () =>
      startService({
        repoRoot,
        app: service.app,
        logDir,
        env: { ...env, [service.portVariable]: String(service.port) },
      }),
    onStart: (handle, restarts) => {
      if (restarts === 0) {
        first = handle;
        return;
      }
      waitForReady(url, READY_TIMEOUT_MS, handle).then(
        () => log(`${service.app} ready again (restart ${restarts}, pid ${handle.child.pid})`),
        () => undefined,
      );
    },
  });
  supervisors.push(supervisor);
  await waitForReady(url, READY_TIMEOUT_MS, first).catch((error) => {
    throw new Error(`${error.message}; see ${logFile}`);
  });
}

/** The infrastructure's ports and the variables that choose them. */
function infrastructurePorts() {
  const entries = Object.entries(INFRASTRUCTURE_PORTS);
  return {
    ports: Object.fromEntries(
      entries.map(([name, { setting, port }]) => [name, portSetting(setting, port)]),
    ),
    portSettings: Object.fromEntries(entries.map(([name, { setting }]) => [name, setting])),
  };
}

function printBanner(options: {
  seconds: string;
  services: ServiceDefinition[];
  infrastructure: StartedInfrastructure;
  env: Record<string, string>;
  logDir: string;
  prometheusUrl: string | null;
}): void {
  const { services, infrastructure, env } = options;
  const ledger = services.find((service) => service.app === 'ledger');
  const ledgerUrl = `http://127.0.0.1:${ledger?.port}`;
  const urlOf = (app: string) =>
    `http://127.0.0.1:${services.find((service) => service.app === app)?.port}`;
  const [bankUrl, adapterUrl] = [urlOf('sandbox-bank'), urlOf('partner-adapter')];
  console.log(`
Real-time payments platform is up (${options.seconds} s).

${services.map((service) => `  ${service.app.padEnd(16)}http://127.0.0.1:${service.port}`).join('\n')}

  PostgreSQL      ${infrastructure.databaseUrl}
  Kafka           ${infrastructure.kafkaBrokers}
  Logs            ${shown(options.logDir)}/<service>.log
  Prometheus      ${options.prometheusUrl ? `${options.prometheusUrl}/classic/alerts (rules: deploy/prometheus)` : 'off'}

  Development admin API key:
    export ADMIN_API_KEY=${env.ADMIN_API_KEY}

  Ledger operator endpoints (historical balance) take their own key:
    export LEDGER_INTERNAL_API_KEY=${env.LEDGER_INTERNAL_API_KEY}
    curl -H "Authorization: Bearer $LEDGER_INTERNAL_API_KEY" \\
      "${ledgerUrl}/internal/accounts/<account id>/balance?asOf=2026-01-01T00:00:00Z"

  Sandbox bank (${bankUrl}): its API key, and its admin key for inbound credits and faults:
    export BANK_API_KEY=${env.SANDBOX_BANK_API_KEY}
    export BANK_ADMIN_KEY=${env.SANDBOX_BANK_ADMIN_KEY}
  Escalated payouts and money in suspense, at the partner adapter (admin API key):
    curl -H "Authorization: Bearer $ADMIN_API_KEY" ${adapterUrl}/v1/review/payouts

Every service answers /health/live, /health/ready and /metrics. A service that exits is restarted.
Ctrl-C stops everything.
`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const services = await servicePorts();
  await checkPrometheusPort(process.env);
  infrastructureStarting = startInfrastructure({
    repoRoot,
    dataDir: join(localDir, 'data'),
    env: process.env,
    ...infrastructurePorts(),
    log,
  });
  const infrastructure = await infrastructureStarting;
  if (stopState.requested) return stopState.done ?? undefined;
  const env = {
    DATABASE_URL: infrastructure.databaseUrl,
    KAFKA_BROKERS: infrastructure.kafkaBrokers,
    ADMIN_API_KEY: developmentAdminKey(),
    // Read by the ledger only; the other services' configurations ignore it.
    LEDGER_INTERNAL_API_KEY: ledgerInternalKey(),
    ...sandboxBankSettings(services),
  };
  Object.assign(env, partnerAdapterSettings(services, env));
  const logDir = join(localDir, 'logs');
  // The ledger first: it creates the topics and its schema before the others need them.
  const [ledger, ...others] = services;
  for (const group of [[ledger], others]) {
    if (stopState.requested) return stopState.done ?? undefined;
    await Promise.all(group.map((service) => startSupervised(service, env, logDir)));
  }
  prometheus = await startPrometheusForServices({
    repoRoot,
    localDir,
    targets: services,
    env: process.env,
    log,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const prometheusUrl = prometheus?.url ?? null;
  printBanner({ seconds, services, infrastructure, env, logDir, prometheusUrl });
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch(async (error: Error) => {
  log(`failed: ${error.message}`);
  await stopAll(1);
});
