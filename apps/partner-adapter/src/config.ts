import { z } from 'zod';
import { commonConfigShape, parseConfig } from '@rtp/shared/config';

export const partnerAdapterConfigShape = {
  ...commonConfigShape,
  PARTNER_ADAPTER_PORT: z.coerce.number().int().min(1).max(65_535).default(3002),
};

export type PartnerAdapterConfig = ReturnType<typeof loadPartnerAdapterConfig>;

export function loadPartnerAdapterConfig(env: Record<string, string | undefined>) {
  return parseConfig(partnerAdapterConfigShape, env);
}
