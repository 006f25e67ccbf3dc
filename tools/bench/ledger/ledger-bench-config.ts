import { z } from 'zod';
import { UsageError, parseCommandLine } from '../harness/command-line';
import { serviceSettingsOf } from '../harness/service-settings';

/** Every setting of the ledger benchmark, read once from the command line and the environment. */
export interface BenchConfig {
  accounts: number;
  hotAccounts: number;
  transfers: number;
  /** Share of transfers whose source or destination is a hot account. */
  hotTransferShare: number;
  seed: number;
  drainTimeoutMs: number;
  seedTimeoutMs: number;
  /** Ledger processes draining in the one consumer group (each its own port). */
  ledgers: 1 | 2;
  /** Seconds into the drain at which a second ledger starts (1 ledger) or one stops (2). */
  rebalanceAtS: number | undefined;
  /** pgbench's run before the load; 0 skips the calibration. */
  calibrationSeconds: number;
  keep: boolean;
  /** Given infrastructure; when unset the benchmark starts its own. */
  databaseUrl: string | undefined;
  kafkaBrokers: string | undefined;
  /** The ledger's consumer group, whose offsets in `ledger.consumer_offsets` show its progress. */
  consumerGroup: string;
  /** The ledger's effective settings (from the environment or its defaults), for the report. */
  ledgerSettings: Record<string, string>;
}

const USAGE = `usage: npm run bench:ledger -- [options]
  --accounts N           accounts to open (env ACCOUNTS, default 10000)
  --hot-accounts N       of which hot (env HOT_ACCOUNTS, default 5)
  --transfers N          TransferFunds commands to preload (env TRANSFERS, default 200000)
  --hot-share X          share of transfers to or from a hot account (env HOT_SHARE, default 0.1)
  --seed N               workload random seed (env BENCH_SEED, default 1)
  --drain-timeout-s N    give up on the drain after N seconds (env DRAIN_TIMEOUT_S, default 900)
  --seed-timeout-s N     give up on seeding after N seconds (env SEED_TIMEOUT_S, default 900,
                         or 2 s per 1,000 accounts when that is longer)
  --ledgers N            ledger processes draining in one consumer group, 1 or 2 (default 1)
  --rebalance-at-s S     S seconds into the drain, start a second ledger (--ledgers 1) or stop
                         one of the two (--ledgers 2, SIGTERM), and report the rate around it
  --calibration-seconds N  pgbench TPC-B run before the load, 0 to skip (default 20)
  --keep                 leave PostgreSQL running with the data and print its DATABASE_URL
Uses DATABASE_URL / KAFKA_BROKERS when set instead of starting its own.
LEDGER_BATCH_SIZE_MAX, LEDGER_PARTITIONS_CONCURRENCY, ... are passed to the ledger.`;

const schema = z.object({
  accounts: z.coerce.number().int().min(3).max(1_000_000).default(10_000),
  hotAccounts: z.coerce.number().int().min(0).max(1_000).default(5),
  transfers: z.coerce.number().int().min(1).max(10_000_000).default(200_000),
  hotShare: z.coerce.number().min(0).max(1).default(0.1),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  drainTimeoutS: z.coerce.number().int().min(1).max(86_400).default(900),
  seedTimeoutS: z.coerce.number().int().min(1).max(86_400).optional(),
  calibrationSeconds: z.coerce.number().int().min(0).max(600).default(20),
  ledgers: z.coerce.number().int().min(1).max(2).default(1),
  rebalanceAtS: z.coerce.number().min(0.1).max(86_400).optional(),
  keep: z.boolean().default(false),
});

const FLAGS: Record<string, keyof z.input<typeof schema>> = {
  '--accounts': 'accounts',
  '--hot-accounts': 'hotAccounts',
  '--transfers': 'transfers',
  '--hot-share': 'hotShare',
  '--seed': 'seed',
  '--drain-timeout-s': 'drainTimeoutS',
  '--seed-timeout-s': 'seedTimeoutS',
  '--calibration-seconds': 'calibrationSeconds',
  '--ledgers': 'ledgers',
  '--rebalance-at-s': 'rebalanceAtS',
};

const ENVIRONMENT: Record<string, keyof z.input<typeof schema>> = {
  ACCOUNTS: 'accounts',
  HOT_ACCOUNTS: 'hotAccounts',
  TRANSFERS: 'transfers',
  HOT_SHARE: 'hotShare',
  BENCH_SEED: 'seed',
  DRAIN_TIMEOUT_S: 'drainTimeoutS',
  SEED_TIMEOUT_S: 'seedTimeoutS',
  CALIBRATION_SECONDS: 'calibrationSeconds',
};

/**
 * Seeding is two commands per account: a million accounts take minutes where ten thousand take
 * seconds, so the default limit grows with the accounts.
 */
function defaultSeedTimeoutS(accounts: number): number {
  return Math.max(900, Math.ceil(accounts / 500));
}

const COMMAND_LINE = {
  usage: USAGE,
  environment: ENVIRONMENT,
  flags: FLAGS,
  switches: { '--keep': 'keep' },
};

export function loadBenchConfig(
  argv: string[],
  env: Record<string, string | undefined>,
): BenchConfig {
  const options = parseCommandLine(argv, env, COMMAND_LINE, schema);
  if (options.accounts - options.hotAccounts < 2) {
    throw new UsageError('at least two accounts must not be hot');
  }
  if (options.hotAccounts === 0) options.hotShare = 0;
  const ledgerSettings = serviceSettingsOf(env, ['ledger'], 'ledger settings').ledger;
  return {
    accounts: options.accounts,
    hotAccounts: options.hotAccounts,
    transfers: options.transfers,
    hotTransferShare: options.hotShare,
    seed: options.seed,
    drainTimeoutMs: options.drainTimeoutS * 1_000,
    seedTimeoutMs: (options.seedTimeoutS ?? defaultSeedTimeoutS(options.accounts)) * 1_000,
    ledgers: options.ledgers === 2 ? 2 : 1,
    rebalanceAtS: options.rebalanceAtS,
    calibrationSeconds: options.calibrationSeconds,
    keep: options.keep,
    databaseUrl: env.DATABASE_URL || undefined,
    kafkaBrokers: env.KAFKA_BROKERS || undefined,
    consumerGroup: ledgerSettings.LEDGER_CONSUMER_GROUP,
    ledgerSettings,
  };
}
