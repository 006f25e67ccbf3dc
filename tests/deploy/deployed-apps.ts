import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { gatewayConfigShape } from '../../apps/gateway/src/config';
import { ledgerConfigShape } from '../../apps/ledger/src/config';
import { partnerAdapterConfigShape } from '../../apps/partner-adapter/src/config';
import { reconcilerConfigShape } from '../../apps/reconciler/src/config';
import { sandboxBankConfigShape } from '../../apps/sandbox-bank/src/config';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');

export type ConfigShape = Record<string, z.ZodType>;

/** An app as the deployment descriptions must see it: the code's own config shape is the truth. */
export interface DeployedApp {
  name: string;
  shape: ConfigShape;
  portSetting: string;
}

export const DEPLOYED_APPS: readonly DeployedApp[] = [
  { name: 'gateway', shape: gatewayConfigShape, portSetting: 'GATEWAY_PORT' },
  { name: 'ledger', shape: ledgerConfigShape, portSetting: 'LEDGER_PORT' },
  {
    name: 'partner-adapter',
    shape: partnerAdapterConfigShape,
    portSetting: 'PARTNER_ADAPTER_PORT',
  },
  { name: 'reconciler', shape: reconcilerConfigShape, portSetting: 'RECONCILER_PORT' },
  { name: 'sandbox-bank', shape: sandboxBankConfigShape, portSetting: 'SANDBOX_BANK_PORT' },
];

/** A setting is required when it has no default and is not optional: undefined does not parse. */
export function requiredSettings(shape: ConfigShape): string[] {
  return Object.keys(shape).filter((key) => !shape[key].safeParse(undefined).success);
}

export function defaultPort(app: DeployedApp): number {
  return Number(app.shape[app.portSetting].parse(undefined));
}

export function readRepositoryFile(relativePath: string): string {
  return readFileSync(join(REPOSITORY_ROOT, relativePath), 'utf8');
}
