import { z } from 'zod';
import { commonConfigShape, parseConfig } from '@rtp/shared/config';

/**
 * The sandbox bank stands in for a partner bank, so it reads none of the platform's settings
 * (no DATABASE_URL, no KAFKA_BROKERS): only where to listen and how much to log.
 */
export const sandboxBankConfigShape = {
  SANDBOX_BANK_PORT: z.coerce.number().int().min(1).max(65_535).default(3004),
  HOST: commonConfigShape.HOST,
  LOG_LEVEL: commonConfigShape.LOG_LEVEL,
};

export type SandboxBankConfig = ReturnType<typeof loadSandboxBankConfig>;

export function loadSandboxBankConfig(env: Record<string, string | undefined>) {
  return parseConfig(sandboxBankConfigShape, env);
}
