import { z } from 'zod';
import { UsageError, parseCommandLine } from '../harness/command-line';

/** Every setting of the API benchmark, read once from the command line and the environment. */
export interface ApiBenchConfig {
  /** Intended payments per second, one load step each (one unless --sweep). */
  ratesPerSecond: number[];
  durationMs: number;
  connections: number;
  accounts: number;
  clients: number;
  /** Requests in flight at most; a request due while this many are outstanding is dropped. */
  outstandingMax: number;
  requestTimeoutMs: number;
  setupConcurrency: number;
  setupTimeoutMs: number;
  /** After a step: how long to wait for the pipeline to empty before the next step. */
  settleTimeoutMs: number;
  cooldownMs: number;
  /** The sweep summary names the highest rate whose p99 over all requests stays within this. */
  latencyTargetMs: number;
  /** Several rates were asked for (--sweep): the run also draws a chart. */
  sweep: boolean;
  /** pgbench's run before the load; 0 skips the calibration. */
  calibrationSeconds: number;
  keepLogs: boolean;
  /** Leave PostgreSQL running with the data, for `npm run verify`. */
  keep: boolean;
  databaseUrl: string | undefined;
  kafkaBrokers: string | undefined;
}

/** A step's schedule is held in memory (one latency slot per request): bound it. */
const REQUESTS_PER_STEP_MAX = 5_000_000;

const USAGE = `usage: npm run bench:api -- [options]
  --rate N               intended payments per second (env RATE, default 500)
  --sweep A,B,C          several rates one after another, e.g. 250,500,1000,2000 (env SWEEP)
  --duration S           seconds of load per rate, "30" or "30s" (env DURATION, default 30)
  --connections N        HTTP/1.1 keep-alive connections to the gateway (default 64)
  --accounts N           funded EUR accounts (env ACCOUNTS, default 2000)
  --clients N            API clients the accounts are spread over (env CLIENTS, default 4)
  --outstanding-max N    requests in flight at most; more are dropped (default 20000)
  --request-timeout-s N  a request without a full answer by then is a network error (default 30)
  --setup-timeout-s N    opening and funding the accounts (default 600)
  --settle-timeout-s N   after each rate, wait this long at most for the pipeline to empty
                         (default 120)
  --cooldown-s N         pause between rates once the pipeline is empty (default 5)
  --latency-target-ms N  the sweep names the highest rate with p99 within this (default 50)
  --calibration-seconds N  pgbench TPC-B run before the load, 0 to skip (env
                         CALIBRATION_SECONDS, default 20)
  --keep-logs            copy the gateway's and the ledger's logs to results/ (always on failure)
  --keep                 leave PostgreSQL running with the data and print its DATABASE_URL
Uses DATABASE_URL / KAFKA_BROKERS when set instead of starting its own PostgreSQL and Kafka.
Gateway and ledger settings (GATEWAY_DATABASE_POOL_SIZE_MAX, LEDGER_BATCH_SIZE_MAX, ...) pass
through from the environment.`;

const seconds = z
  .string()
  .regex(/^\d+(\.\d+)?s?$/, 'seconds, e.g. 30 or 30s')
  .transform((value) => Number(value.replace(/s$/, '')));
const rates = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'comma-separated integers, e.g. 250,500,1000')
  .transform((value) => value.split(',').map(Number));

const schema = z.object({
  rate: z.coerce.number().int().min(1).max(100_000).default(500),
  sweep: rates.pipe(z.array(z.number().int().min(1).max(100_000)).min(1).max(20)).optional(),
  duration: seconds.pipe(z.number().min(1).max(3_600)).default(30),
  connections: z.coerce.number().int().min(1).max(1_024).default(64),
  accounts: z.coerce.number().int().min(2).max(200_000).default(2_000),
  clients: z.coerce.number().int().min(1).max(100).default(4),
  outstandingMax: z.coerce.number().int().min(1).max(200_000).default(20_000),
  requestTimeoutS: z.coerce.number().int().min(1).max(300).default(30),
  setupTimeoutS: z.coerce.number().int().min(10).max(7_200).default(600),
  settleTimeoutS: z.coerce.number().int().min(0).max(3_600).default(120),
  cooldownS: z.coerce.number().min(0).max(600).default(5),
  latencyTargetMs: z.coerce.number().min(1).max(60_000).default(50),
  calibrationSeconds: z.coerce.number().int().min(0).max(600).default(20),
  keepLogs: z.boolean().default(false),
  keep: z.boolean().default(false),
});
type RawOptions = z.input<typeof schema>;

const FLAGS: Record<string, keyof RawOptions> = {
  '--rate': 'rate',
  '--sweep': 'sweep',
  '--duration': 'duration',
  '--connections': 'connections',
  '--accounts': 'accounts',
  '--clients': 'clients',
  '--outstanding-max': 'outstandingMax',
  '--request-timeout-s': 'requestTimeoutS',
  '--setup-timeout-s': 'setupTimeoutS',
  '--settle-timeout-s': 'settleTimeoutS',
  '--cooldown-s': 'cooldownS',
  '--latency-target-ms': 'latencyTargetMs',
  '--calibration-seconds': 'calibrationSeconds',
};
const ENVIRONMENT: Record<string, keyof RawOptions> = {
  RATE: 'rate',
  SWEEP: 'sweep',
  DURATION: 'duration',
  ACCOUNTS: 'accounts',
  CLIENTS: 'clients',
  CALIBRATION_SECONDS: 'calibrationSeconds',
};

const COMMAND_LINE = {
  usage: USAGE,
  environment: ENVIRONMENT,
  flags: FLAGS,
  switches: { '--keep-logs': 'keepLogs', '--keep': 'keep' },
};

export function loadApiBenchConfig(
  argv: string[],
  env: Record<string, string | undefined>,
): ApiBenchConfig {
  const options = parseCommandLine(argv, env, COMMAND_LINE, schema);
  const ratesPerSecond = options.sweep ?? [options.rate];
  const largest = Math.max(...ratesPerSecond) * options.duration;
  if (largest > REQUESTS_PER_STEP_MAX) {
    throw new UsageError(`rate x duration must stay within ${REQUESTS_PER_STEP_MAX} requests`);
  }
  if (options.accounts < 2 * options.clients) {
    throw new UsageError('every client needs at least two accounts (--accounts >= 2 x --clients)');
  }
  return {
    ratesPerSecond,
    durationMs: options.duration * 1_000,
    connections: options.connections,
    accounts: options.accounts,
    clients: options.clients,
    outstandingMax: options.outstandingMax,
    requestTimeoutMs: options.requestTimeoutS * 1_000,
    setupConcurrency: 32,
    setupTimeoutMs: options.setupTimeoutS * 1_000,
    settleTimeoutMs: options.settleTimeoutS * 1_000,
    cooldownMs: options.cooldownS * 1_000,
    latencyTargetMs: options.latencyTargetMs,
    sweep: options.sweep !== undefined,
    calibrationSeconds: options.calibrationSeconds,
    keepLogs: options.keepLogs,
    keep: options.keep,
    databaseUrl: env.DATABASE_URL || undefined,
    kafkaBrokers: env.KAFKA_BROKERS || undefined,
  };
}
