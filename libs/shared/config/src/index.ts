import { z } from 'zod';

/** Settings every service reads, with the same names everywhere (README, compose, k8s). */
export const commonConfigShape = {
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    ),
  TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1_000).default(12),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** A consumer partition failing (or a consumer down) this long makes readiness fail. */
  CONSUMER_STALL_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
};

/** Reads the environment once, at boot; a wrong setting stops the process with every problem listed. */
export function parseConfig<TShape extends z.ZodRawShape>(
  shape: TShape,
  env: Record<string, string | undefined>,
): z.infer<z.ZodObject<TShape>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`invalid configuration:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
