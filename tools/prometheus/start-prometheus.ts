// `npm start`'s Prometheus: on unless RTP_PROMETHEUS=off, on RTP_PROMETHEUS_PORT (default 9090),
// its data under <local dir>/prometheus. A missing binary is a warning, not a failed start: the
// platform runs without it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertPortFree } from '../infra/ports';
import { LocalPrometheus, startLocalPrometheus } from './local-prometheus';
import { RULES_FILE, ScrapeTarget } from './prometheus-config';

const DEFAULT_PORT = 9090;
const COMMAND = '/usr/bin/prometheus';

export function prometheusPort(env: NodeJS.ProcessEnv): number {
  const text = env.RTP_PROMETHEUS_PORT;
  if (text === undefined || text === '') return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`RTP_PROMETHEUS_PORT=${text} is not a port`);
  }
  return port;
}

export const prometheusWanted = (env: NodeJS.ProcessEnv) => env.RTP_PROMETHEUS !== 'off';

/** Refuses a taken port before anything starts, as the services' ports are. */
export async function checkPrometheusPort(env: NodeJS.ProcessEnv): Promise<void> {
  if (!prometheusWanted(env)) return;
  await assertPortFree(prometheusPort(env), {
    what: 'prometheus',
    setting: 'RTP_PROMETHEUS_PORT (or RTP_PROMETHEUS=off)',
  });
}

export async function startPrometheusForServices(options: {
  repoRoot: string;
  localDir: string;
  targets: readonly ScrapeTarget[];
  env: NodeJS.ProcessEnv;
  log: (message: string) => void;
}): Promise<LocalPrometheus | null> {
  if (!prometheusWanted(options.env)) return null;
  if (!existsSync(COMMAND)) {
    options.log(`${COMMAND} not found (Debian's prometheus package): running without Prometheus`);
    return null;
  }
  return startLocalPrometheus({
    dir: join(options.localDir, 'prometheus'),
    port: prometheusPort(options.env),
    command: COMMAND,
    targets: options.targets,
    ruleFiles: [join(options.repoRoot, RULES_FILE)],
    scrapeInterval: '15s',
    evaluationInterval: '15s',
  });
}
