import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './platform';

export interface ActiveAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export interface ScrapeTargetState {
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

async function api<T>(prometheusUrl: string, path: string): Promise<T> {
  const response = await fetch(`${prometheusUrl}/api/v1/${path}`);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error}`);
  return body.data;
}

export const activeAlerts = (prometheusUrl: string) =>
  api<{ alerts: ActiveAlert[] }>(prometheusUrl, 'alerts').then((data) => data.alerts);

export const scrapeTargets = (prometheusUrl: string) =>
  api<{ activeTargets: ScrapeTargetState[] }>(prometheusUrl, 'targets').then(
    (data) => data.activeTargets,
  );

/** Runs tests/support/prometheus-page.driver.ts; resolves with the page's visible text. */
export function screenshotPage(env: {
  PROMETHEUS_PAGE_URL: string;
  PROMETHEUS_PAGE_TEXT: string;
  PROMETHEUS_SCREENSHOT: string;
}): Promise<string> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(REPO_ROOT, 'tests/support/prometheus-page.driver.ts')],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`browser driver failed (${code}): ${err}`));
      resolve((JSON.parse(out.trim().split('\n').at(-1)!) as { text: string }).text);
    }),
  );
}
