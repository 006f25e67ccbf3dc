// Writes deploy/prometheus/prometheus.yml: the local configuration for the default ports
// (`node -r @swc-node/register tools/prometheus/generate-prometheus-config.ts`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from '../services';
import { prometheusConfig } from './prometheus-config';

export const COMMITTED_CONFIG = join('deploy', 'prometheus', 'prometheus.yml');

/** Rule files are read relative to the configuration file's folder. */
export const committedConfig = () =>
  prometheusConfig({
    targets: SERVICES,
    ruleFiles: ['rules/*.yml'],
    scrapeInterval: '15s',
    evaluationInterval: '15s',
  });

if (require.main === module) {
  writeFileSync(join(__dirname, '..', '..', COMMITTED_CONFIG), committedConfig());
}
