import { z } from 'zod';
import { commonConfigShape, parseConfig } from '@rtp/shared/config';

export const reconcilerConfigShape = {
  ...commonConfigShape,
  RECONCILER_PORT: z.coerce.number().int().min(1).max(65_535).default(3003),
};

export type ReconcilerConfig = ReturnType<typeof loadReconcilerConfig>;

export function loadReconcilerConfig(env: Record<string, string | undefined>) {
  return parseConfig(reconcilerConfigShape, env);
}
