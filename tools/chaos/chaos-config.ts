import { z } from 'zod';
import { UsageError, parseCommandLine } from '../bench/harness/command-line';

export type FaultKind =
  'ledger-kill' | 'gateway-kill' | 'broker-stall' | 'postgres-restart' | 'broker-kill';

/** Every setting of a chaos run, read once from the command line and the environment. */
export interface ChaosConfig {
  profile: 'short' | 'full';
  /** Faults in order, each followed by its recovery and a settle period. */
  faults: FaultKind[];
  /** New Idempotency-Keys per second (each retried until accepted). */
  ratePerSecond: number;
  accounts: number;
  clients: number;
  /** Steady load before the first fault, the reference for the others. */
  baselineMs: number;
  /** How long the broker stays stopped: longer than the consumers' session timeout (10 s). */
  stallMs: number;
  /** Between the broker's SIGKILL and its start on the same data. */
  brokerDownMs: number;
  /** After a fault: at most this long for a payment to complete end to end and for readiness. */
  recoveryTimeoutMs: number;
  /** Steady load after a recovery before the next fault. */
  settleMs: number;
  /** After the load stops: at most this long for accepted payments to become terminal. */
  drainTimeoutMs: number;
  keepLogs: boolean;
}

const PROFILES = {
  short: {
    faults: ['ledger-kill', 'gateway-kill', 'broker-stall', 'postgres-restart', 'broker-kill'],
    ratePerSecond: 20,
    baselineMs: 5_000,
    stallMs: 15_000,
    settleMs: 5_000,
  },
  full: {
    faults: [
      'ledger-kill',
      'gateway-kill',
      'ledger-kill',
      'gateway-kill',
      'ledger-kill',
      'gateway-kill',
      'broker-stall',
      'postgres-restart',
      'broker-kill',
    ],
    ratePerSecond: 25,
    baselineMs: 15_000,
    stallMs: 20_000,
    settleMs: 10_000,
  },
} satisfies Record<ChaosConfig['profile'], Partial<ChaosConfig>>;

const USAGE = `usage: npm run chaos -- [options]
  --profile short|full   short: one fault of each kind, 15 s broker stall, about 2-3 minutes;
                         full: three ledger and three gateway SIGKILLs, 20 s stall (default full)
  --rate N               new payments per second, each retried until accepted
                         (default 20 short, 25 full)
  --keep-logs            copy the services' and the broker's logs to results/ (always on failure)
Starts its own PostgreSQL and Kafka in a temporary folder, a supervised ledger and gateway, funds
accounts, runs a steady load of payments and injects, one after another: SIGKILL of the ledger,
SIGKILL of the gateway, a broker stall (SIGSTOP, then SIGCONT), a PostgreSQL restart (fast), a
broker SIGKILL and start on the same data. Then checks that every accepted payment is terminal, no
Idempotency-Key has two payments, money is conserved and \`npm run verify\` passes. Prints a table,
writes JSON to results/, exits 1 when a check fails.`;

const schema = z.object({
  profile: z.enum(['short', 'full']).default('full'),
  rate: z.coerce.number().int().min(1).max(200).optional(),
  keepLogs: z.boolean().default(false),
});

const COMMAND_LINE = {
  usage: USAGE,
  environment: { CHAOS_PROFILE: 'profile' },
  flags: { '--profile': 'profile', '--rate': 'rate' },
  switches: { '--keep-logs': 'keepLogs' },
};

export function loadChaosConfig(
  argv: string[],
  env: Record<string, string | undefined>,
): ChaosConfig {
  const options = parseCommandLine(argv, env, COMMAND_LINE, schema);
  const profile = PROFILES[options.profile];
  return {
    profile: options.profile,
    faults: [...profile.faults] as FaultKind[],
    ratePerSecond: options.rate ?? profile.ratePerSecond,
    accounts: 20,
    clients: 2,
    baselineMs: profile.baselineMs,
    stallMs: profile.stallMs,
    brokerDownMs: 3_000,
    recoveryTimeoutMs: 90_000,
    settleMs: profile.settleMs,
    drainTimeoutMs: 120_000,
    keepLogs: options.keepLogs,
  };
}
