import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool as DatabasePool } from 'pg';
import { Pool } from 'undici';
import { BenchClient, DEPOSIT_AMOUNT_MINOR, setUpAccounts } from '../bench/harness/account-setup';
import { machineInfo } from '../bench/harness/machine-info';
import { ChaosConfig } from './chaos-config';
import {
  Check,
  drainAccepted,
  idempotencyChecks,
  moneyChecks,
  terminalCheck,
  verifyCheck,
} from './chaos-checks';
import { ChaosPlatform } from './chaos-platform';
import { ChaosResult, LogMarks, buildRows, markLogs } from './chaos-report';
import { FaultResult, runFaults } from './fault-run';
import { LoadWindows } from './load-windows';
import { RetryingLoad } from './retrying-load';

export interface ChaosRunContext {
  repoRoot: string;
  config: ChaosConfig;
  platform: ChaosPlatform;
  clock: () => number;
  signal: AbortSignal;
  log: (message: string) => void;
  /** Connections the run opened, closed by the caller whatever happens. */
  connections: { pool?: Pool; database?: DatabasePool };
}

const REQUEST_TIMEOUT_MS = 10_000;
const SETUP_TIMEOUT_MS = 180_000;

export function logFilesOf(platform: ChaosPlatform): Record<string, string> {
  return {
    ledger: platform.logFile('ledger'),
    gateway: platform.logFile('gateway'),
    kafka: platform.logFile('kafka'),
  };
}

/** Platform, accounts, load with the faults, then the drain and the checks. */
export async function runChaos(
  context: ChaosRunContext,
): Promise<Omit<ChaosResult, 'status' | 'error'>> {
  const { repoRoot, config, platform, clock, signal, log } = context;
  const startedAt = new Date().toISOString();
  await platform.start();
  const runTag = randomBytes(4).toString('hex');
  const { clients, accountIds, clientIds, database, pool } = await setUp(context, runTag);
  const logFiles = logFilesOf(platform);
  const logMarks: LogMarks = [];
  const windows = new LoadWindows(() => logMarks.push(markLogs(logFiles)));
  const load = new RetryingLoad(pool, clients, config.ratePerSecond, runTag, windows, clock);
  windows.enter('baseline', clock());
  log(`load: ${config.ratePerSecond} new payments/s, each retried until accepted`);
  load.start();
  let faults: FaultResult[] = [];
  try {
    await sleep(config.baselineMs, undefined, { signal });
    faults = await runFaults({ config, platform, windows, clock, signal, log });
  } finally {
    log('stopping the load; retrying the keys not yet accepted');
    await load.stop(signal.aborted ? clock() : clock() + config.recoveryTimeoutMs);
  }
  log(`${load.keys.length} keys sent; waiting for every accepted payment to be terminal`);
  await drainAccepted(database, load.keys, clock() + config.drainTimeoutMs, clock);

  const checks: Check[] = [
    recoveryCheck(faults),
    exitsCheck(platform),
    ...(await idempotencyChecks(database, load.keys, load.dropped, clientIds, runTag)),
    terminalCheck(load.keys),
    ...(await moneyChecks(database, load.keys, accountIds, BigInt(DEPOSIT_AMOUNT_MINOR))),
  ];
  log('running npm run verify on the database');
  checks.push(await verifyCheck(repoRoot, platform.infra.databaseUrl));
  return {
    startedAt,
    config,
    machine: machineInfo(),
    rows: buildRows({
      windows: windows.stats,
      faults,
      keys: load.keys,
      exits: platform.exits,
      logFiles,
      logMarks,
    }),
    checks,
    exits: platform.exits,
    restarts: { ledger: platform.restarts('ledger'), gateway: platform.restarts('gateway') },
    keys: load.keys.length,
  };
}

/** The funded accounts, the checks' database pool and the load's connections. */
async function setUp(
  context: ChaosRunContext,
  runTag: string,
): Promise<{
  clients: BenchClient[];
  accountIds: string[];
  clientIds: string[];
  database: DatabasePool;
  pool: Pool;
}> {
  const { config, platform, signal, log, connections } = context;
  const shape = { ...config, concurrency: 4, timeoutMs: SETUP_TIMEOUT_MS };
  const clients = await setUpAccounts(platform, shape, { runTag, signal, log });
  const accountIds = clients.flatMap((client) => client.accountIds);
  const database = (connections.database = new DatabasePool({
    connectionString: platform.infra.databaseUrl,
    max: 2,
    application_name: 'chaos-checks',
    statement_timeout: 60_000,
  }));
  const clientIds = (
    await database.query<{ client_id: string }>(
      'SELECT DISTINCT client_id FROM gateway.accounts WHERE account_id = ANY($1::text[])',
      [accountIds],
    )
  ).rows.map((row) => row.client_id);
  // Enough connections that no request queues here behind others: POST latency is the gateway's.
  const pool = (connections.pool = new Pool(platform.gatewayUrl, {
    connections: 256,
    pipelining: 1,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
    connectTimeout: 2_000,
  }));
  return { clients, accountIds, clientIds, database, pool };
}

function recoveryCheck(faults: FaultResult[]): Check {
  const failed = faults.filter(
    (fault) => fault.error || fault.recoverySeconds === null || fault.readySeconds === null,
  );
  return {
    name: 'the platform recovered from every fault by itself',
    passed: failed.length === 0,
    detail:
      failed.length === 0
        ? `${faults.length} faults`
        : failed
            .map(
              (fault) =>
                `${fault.name}: ${fault.error ?? ''}` +
                `${fault.recoverySeconds === null ? 'no payment completed' : ''}` +
                `${fault.readySeconds === null ? ` not ready ${JSON.stringify(fault.notReady)}` : ''}`,
            )
            .join('; '),
  };
}

function exitsCheck(platform: ChaosPlatform): Check {
  const unplanned = platform.exits.filter((exit) => !exit.planned);
  return {
    name: 'services exit only when killed',
    passed: unplanned.length === 0,
    detail:
      unplanned.length === 0
        ? `${platform.exits.length} planned exits, all restarted`
        : unplanned
            .map(
              (exit) =>
                `${exit.service} pid ${exit.pid} ` +
                `${exit.signal ?? `code ${exit.code}`} at ${(exit.atMs / 1_000).toFixed(1)} s`,
            )
            .join('; '),
  };
}
