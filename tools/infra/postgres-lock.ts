// What to do with the postmaster.pid a previous run left in our own cluster folder. Decision
// (docs/decisions.md): a live postmaster of this very folder, left by a crashed `npm start`, is
// stopped (fast shutdown) and then started afresh by us, so that we hold its process and its
// settings are ours; a pid file whose process is gone, or is now some other process, is stale
// and removed. A port held by anything else is refused by the caller.
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const FAST_SHUTDOWN_WAIT_MS = 30_000;
const IMMEDIATE_SHUTDOWN_WAIT_MS = 10_000;

/** Running (a zombie, exited but not yet reaped by its parent, counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** True when pid is a postmaster whose working directory (it chdirs there) is clusterDir. */
function isPostmasterOf(pid: number, clusterDir: string): boolean {
  try {
    return realpathSync(`/proc/${pid}/cwd`) === realpathSync(clusterDir);
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await sleep(100);
  }
  return !alive(pid);
}

/** Leaves clusterDir without a running postmaster and without a stale lock, or throws. */
export async function reclaimClusterDirectory(
  clusterDir: string,
  log: (message: string) => void,
): Promise<void> {
  const lockFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || !isPostmasterOf(pid, clusterDir)) {
    log(`removing a stale ${lockFile} (pid ${pid} is not a PostgreSQL of this folder)`);
    rmSync(lockFile, { force: true });
    return;
  }
  log(`PostgreSQL pid ${pid} of ${clusterDir} was left running by an earlier run; stopping it`);
  process.kill(pid, 'SIGCONT');
  // SIGINT: fast shutdown (roll back, checkpoint, exit); SIGQUIT: immediate, recovery on start.
  process.kill(pid, 'SIGINT');
  if (await waitForExit(pid, FAST_SHUTDOWN_WAIT_MS)) return;
  log(`PostgreSQL pid ${pid} did not stop within ${FAST_SHUTDOWN_WAIT_MS} ms; immediate shutdown`);
  process.kill(pid, 'SIGQUIT');
  if (await waitForExit(pid, IMMEDIATE_SHUTDOWN_WAIT_MS)) return;
  throw new Error(`PostgreSQL pid ${pid} of ${clusterDir} does not stop; stop it by hand`);
}
