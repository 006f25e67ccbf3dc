import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './platform';

/** Set RTP_REVIEW_SCREENSHOT=docs/review-page.png to refresh the README's screenshot. */
export const reviewScreenshot = () =>
  process.env.RTP_REVIEW_SCREENSHOT ?? join(tmpdir(), 'review-page.png');

/**
 * Runs the browser driver (tests/support/review-page.driver.ts, its own process: puppeteer-core
 * is an ES module) and reads its report: what the maker and the checker saw.
 */
export function driveBrowser(env: Record<string, string>): Promise<Record<string, any>> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(REPO_ROOT, 'tests/support/review-page.driver.ts')],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`browser driver failed (${code}): ${err}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!));
    }),
  );
}
