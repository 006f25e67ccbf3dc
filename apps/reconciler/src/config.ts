import { z } from 'zod';
import { commonConfigShape, parseConfig } from '@rtp/shared/config';

const ms = (fallback: number, max = 86_400_000) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

export const reconcilerConfigShape = {
  ...commonConfigShape,
  RECONCILER_PORT: z.coerce.number().int().min(1).max(65_535).default(3003),
  KAFKA_SESSION_TIMEOUT_MS: ms(10_000, 300_000),
  KAFKA_HEARTBEAT_INTERVAL_MS: ms(1_000, 60_000),
  /** The partners reconciled, comma-separated (each has its own statements and runs). */
  RECONCILER_PARTNER_IDS: z
    .string()
    .default('sandbox')
    .transform((value) => value.split(',').map((id) => id.trim()))
    .pipe(
      z
        .array(z.string().regex(/^[a-z][a-z0-9-]{1,30}$/))
        .min(1)
        .max(20),
    ),
  /**
   * The daily run of yesterday, a cron expression in UTC (after the adapter's statement fetch);
   * `off` for none.
   */
  RECONCILER_SCHEDULE: z.string().min(1).default('30 1 * * *'),
  /** The rules' date window: booking date against ours, and how long a record may wait. */
  RECONCILER_DATE_WINDOW_DAYS: z.coerce.number().int().min(0).max(10).default(1),
  /** The partner whose fee is tolerated, and up to how many minor units (0: none). */
  RECONCILER_FEE_TOLERANCE_PARTNER_ID: z.string().min(1).default('sandbox'),
  RECONCILER_FEE_TOLERANCE_MINOR: z.coerce.bigint().min(0n).max(1_000_000n).default(100n),
  RECONCILER_RUN_POLL_MS: ms(500, 60_000),
};

export type ReconcilerConfig = ReturnType<typeof loadReconcilerConfig>;

export function loadReconcilerConfig(env: Record<string, string | undefined>) {
  return parseConfig(reconcilerConfigShape, env);
}
