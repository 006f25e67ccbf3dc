import { randomBytes } from 'node:crypto';
import { Pool as DatabasePool } from 'pg';
import { Pool } from 'undici';
import { setUpAccounts } from '../../bench/harness/account-setup';
import { machineInfo } from '../../bench/harness/machine-info';
import { Check } from '../chaos-checks';
import { BankControl } from './bank-control';
import { blackholePhase, referencePhase } from './blackhole-phase';
import { PayoutChaosConfig } from './payout-config';
import { acceptanceCheck, bankChecks, readStatuses } from './payout-checks';
import { PayoutLoad } from './payout-load';
import { moneyCheck, settlementTotal, verifyChecks } from './payout-money';
import { PhaseContext, PhaseResult, adapterKillPhase, bankFaultPhase } from './payout-phases';
import { PayoutPlatform } from './payout-platform';
import { PayoutChaosResult, buildRow } from './payout-report';

export interface PayoutRunContext {
  config: PayoutChaosConfig;
  platform: PayoutPlatform;
  clock: () => number;
  signal: AbortSignal;
  log: (message: string) => void;
  /** Connections the run opened, closed by the caller whatever happens. */
  connections: { pool?: Pool; database?: DatabasePool };
}

const REQUEST_TIMEOUT_MS = 10_000;
const SETUP_TIMEOUT_MS = 180_000;
const PARTNER_ID = 'sandbox';

/** Platform, funded accounts, the phases one after another, then the checks over all payouts. */
export async function runPayoutChaos(
  context: PayoutRunContext,
): Promise<Omit<PayoutChaosResult, 'status' | 'error'>> {
  const { config, platform, clock, signal, log, connections } = context;
  const started = new Date();
  await platform.start();
  const runTag = randomBytes(4).toString('hex');
  const shape = { ...config, concurrency: 4, timeoutMs: SETUP_TIMEOUT_MS };
  const clients = await setUpAccounts(platform, shape, { runTag, signal, log });
  const database = (connections.database = new DatabasePool({
    connectionString: platform.infra.databaseUrl,
    max: 2,
    application_name: 'payout-chaos-checks',
    statement_timeout: 60_000,
  }));
  const pool = (connections.pool = new Pool(platform.gatewayUrl, {
    connections: 128,
    pipelining: 1,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
    connectTimeout: 2_000,
  }));
  const load = new PayoutLoad(pool, clients, runTag, config.seed, clock);
  const bank = new BankControl(platform);
  const settlementBefore = await settlementTotal(database, PARTNER_ID);
  const phaseContext: PhaseContext = { config, platform, bank, load, database, clock, signal, log };
  const phases: PhaseResult[] = [await bankFaultPhase(phaseContext)];
  if (config.kills > 0) phases.push(await adapterKillPhase(phaseContext));
  if (config.blackholeMs > 0) {
    phases.push(await referencePhase(phaseContext));
    phases.push(await blackholePhase(phaseContext));
  }

  log('checking the bank, the ledger and the money');
  await readStatuses(database, load.payouts);
  const bankResult = await bankChecks(database, load.payouts);
  const ledgerMovedMinor = (await settlementTotal(database, PARTNER_ID)) - settlementBefore;
  const checks: Check[] = [
    ...phases.flatMap((phase) => phase.checks),
    acceptanceCheck(load.payouts),
    ...bankResult.checks,
    await moneyCheck({
      bank: { url: platform.url('sandbox-bank'), apiKey: platform.bankApiKey },
      payouts: load.payouts,
      startedAt: started,
      ledgerMovedMinor,
    }),
    await verifyChecks(platform.infra.databaseUrl),
    exitsCheck(platform),
  ];
  return {
    startedAt: started.toISOString(),
    config,
    machine: machineInfo(),
    rows: phases.map((phase) => buildRow(phase, load.attempts, bankResult.transfersOf)),
    checks,
    exits: platform.exits,
    restarts: { 'partner-adapter': platform.restarts('partner-adapter') },
  };
}

function exitsCheck(platform: PayoutPlatform): Check {
  const unplanned = platform.exits.filter((exit) => !exit.planned);
  return {
    name: 'services exit only when killed',
    passed: unplanned.length === 0,
    detail:
      unplanned.length === 0
        ? `${platform.exits.length} planned exits, all restarted`
        : unplanned
            .map((exit) => `${exit.service} pid ${exit.pid} ${exit.signal ?? `code ${exit.code}`}`)
            .join('; '),
  };
}
