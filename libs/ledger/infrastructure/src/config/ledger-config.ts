import { z } from 'zod';
import { commonConfigShape, parseConfig } from '@rtp/shared/config';

export const ledgerConfigShape = {
  ...commonConfigShape,
  LEDGER_PORT: z.coerce.number().int().min(1).max(65_535).default(3001),
  LEDGER_DATABASE_POOL_SIZE_MAX: z.coerce.number().int().min(2).max(100).default(10),
  /** Another group replays the command topic from the start (dedupe makes it change nothing). */
  LEDGER_CONSUMER_GROUP: z
    .string()
    .regex(/^[a-z0-9._-]{1,100}$/)
    .default('ledger'),
  LEDGER_BATCH_SIZE_MAX: z.coerce.number().int().min(1).max(10_000).default(500),
  LEDGER_PARTITIONS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Consumers of the command topic in one process: one fetches while another commits. */
  LEDGER_CONSUMERS_PER_PROCESS: z.coerce.number().int().min(1).max(8).default(2),
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(10_000),
  KAFKA_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).max(10_000).default(1_000),
  /** With KAFKA_FETCH_WAIT_MS_MAX, the batch linger: wait that long for at least this many bytes. */
  LEDGER_FETCH_BYTES_MIN: z.coerce.number().int().min(1).max(10_485_760).default(1),
  /** Accounts held in memory by one ledger process, shared out over the partitions it owns. */
  LEDGER_ACCOUNTS_CACHED_MAX: z.coerce.number().int().min(1_000).max(100_000_000).default(200_000),
  KAFKA_FETCH_WAIT_MS_MAX: z.coerce.number().int().min(1).max(5_000).default(50),
  /**
   * Bearer token of the operator endpoints (/internal/...), at least 32 printable characters. Unset
   * (or empty, as compose passes an unset variable) closes them to everyone.
   */
  LEDGER_INTERNAL_API_KEY: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .min(32)
      .max(500)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .optional(),
  ),
};

export type LedgerConfig = ReturnType<typeof loadLedgerConfig>;

export function loadLedgerConfig(env: Record<string, string | undefined>) {
  return parseConfig(ledgerConfigShape, env);
}
