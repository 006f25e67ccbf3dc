import { z } from 'zod';
import { parseCommandLine } from '../../bench/harness/command-line';

/** Every setting of a payout chaos run, read once from the command line and the environment. */
export interface PayoutChaosConfig {
  profile: 'short' | 'full';
  /** Seeds the bank's fault decisions, the accounts and amounts drawn, the kills' timing. */
  seed: number;
  /** Phase 1: payouts sent while the bank drops, fails and hangs. */
  faultPayouts: number;
  faultRatePerSecond: number;
  /** Phase 2: SIGKILLs of the partner adapter while payouts flow. */
  kills: number;
  killRatePerSecond: number;
  /** After the adapter is ready again, it runs this long (drawn between the two) before the kill. */
  killAfterReadyMs: { min: number; max: number };
  /** Phase 3 (0: skipped): how long the bank hangs on every request. */
  blackholeMs: number;
  blackholeRatePerSecond: number;
  accounts: number;
  clients: number;
  /** After healing: at most this long for the payouts to become terminal. */
  drainTimeoutMs: number;
  keepLogs: boolean;
}

/** The bank's faults during phase 1 (rates per request; they add up to 25 %). */
export const PHASE_ONE_FAULTS = {
  dropAfterApplyRate: 0.1,
  errorRate: 0.1,
  hangRate: 0.05,
  hangMs: 5_000,
};

const PROFILES = {
  short: { faultPayouts: 150, faultRatePerSecond: 25, kills: 3, blackholeMs: 0 },
  full: { faultPayouts: 1_000, faultRatePerSecond: 20, kills: 20, blackholeMs: 30_000 },
} satisfies Record<PayoutChaosConfig['profile'], Partial<PayoutChaosConfig>>;

const USAGE = `usage: npm run chaos:payouts -- [options]
  --profile short|full   short: 150 payouts under bank faults, 3 adapter SIGKILLs, about 2 minutes;
                         full: 1,000 payouts, 20 SIGKILLs, a 30 s bank blackhole (default full)
  --seed N               seeds the bank's faults, the accounts and amounts, the kills (default 1)
  --payouts N            payouts of the bank-fault phase
  --kills N              SIGKILLs of the partner adapter
  --keep-logs            copy the services' logs to results/ (always on failure)
Starts its own PostgreSQL and Kafka, a supervised ledger, gateway, sandbox bank and partner adapter,
funds accounts, then: (1) payouts through POST /v1/payouts (retried with the same key on 5xx and
timeouts) while the bank drops 10 % after applying, answers 503 to 10 % and hangs on 5 %; (2) the
adapter SIGKILLed again and again during payouts; (3, full) the bank hanging on everything. After
each phase the faults are healed and every payout must become terminal. Checks: no double transfer
at the bank, every transfer one payout's, the ledger settled exactly what the bank booked, funds held
while pending, the bank's statements equal the ledger's settlement movement, \`npm run verify\`.
Prints a table, writes JSON to results/, exits 1 when a check fails.`;

const schema = z.object({
  profile: z.enum(['short', 'full']).default('full'),
  seed: z.coerce.number().int().min(0).max(2_147_483_647).default(1),
  payouts: z.coerce.number().int().min(1).max(100_000).optional(),
  kills: z.coerce.number().int().min(0).max(1_000).optional(),
  keepLogs: z.boolean().default(false),
});

const COMMAND_LINE = {
  usage: USAGE,
  environment: { CHAOS_PROFILE: 'profile', CHAOS_SEED: 'seed' },
  flags: { '--profile': 'profile', '--seed': 'seed', '--payouts': 'payouts', '--kills': 'kills' },
  switches: { '--keep-logs': 'keepLogs' },
};

export function loadPayoutChaosConfig(
  argv: string[],
  env: Record<string, string | undefined>,
): PayoutChaosConfig {
  const options = parseCommandLine(argv, env, COMMAND_LINE, schema);
  const profile = PROFILES[options.profile];
  return {
    profile: options.profile,
    seed: options.seed,
    faultPayouts: options.payouts ?? profile.faultPayouts,
    faultRatePerSecond: profile.faultRatePerSecond,
    kills: options.kills ?? profile.kills,
    killRatePerSecond: 10,
    killAfterReadyMs: { min: 500, max: 3_000 },
    blackholeMs: profile.blackholeMs,
    blackholeRatePerSecond: 10,
    accounts: 40,
    clients: 2,
    drainTimeoutMs: 120_000,
    keepLogs: options.keepLogs,
  };
}
