// Never leave a server behind: a tiny detached process holds a pipe from this one and stops the
// server when that pipe closes (this process died, even by SIGKILL), escalating to SIGKILL.
import { ChildProcess, spawn } from 'node:child_process';

// Runs in a separate `node -e` process; argv[1] is the server's pid, argv[2] the stop signal,
// argv[3] the grace before SIGKILL in milliseconds.
const WATCHDOG_SOURCE = `
const pid = Number(process.argv[1]);
const signal = process.argv[2];
const graceMs = Number(process.argv[3]);
const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
const poll = setInterval(() => { if (!alive()) process.exit(0); }, 2000);
process.stdin.on('error', () => {});
process.stdin.once('close', () => {
  clearInterval(poll);
  if (!alive()) process.exit(0);
  try { process.kill(pid, 'SIGCONT'); process.kill(pid, signal); } catch {}
  const startedAt = Date.now();
  setInterval(() => {
    if (!alive()) process.exit(0);
    if (Date.now() - startedAt > graceMs) { try { process.kill(pid, 'SIGKILL'); } catch {} process.exit(0); }
  }, 200);
});
process.stdin.resume();
`;

export type Watchdog = ChildProcess | null;

/** `signal`: how the server stops cleanly; `graceMs`: how long before SIGKILL. */
export function startWatchdog(
  pid: number | undefined,
  { signal = 'SIGTERM', graceMs = 20_000 }: { signal?: NodeJS.Signals; graceMs?: number } = {},
): Watchdog {
  if (!pid) return null;
  try {
    const watchdog = spawn(
      process.execPath,
      ['-e', WATCHDOG_SOURCE, String(pid), signal, String(graceMs)],
      {
        stdio: ['pipe', 'ignore', 'ignore'],
        detached: true, // own process group: a terminal Ctrl-C must not kill it before the server
        windowsHide: true,
      },
    );
    watchdog.on('error', () => {});
    watchdog.stdin?.on('error', () => {});
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return watchdog;
  } catch {
    return null;
  }
}

export function stopWatchdog(watchdog: Watchdog): void {
  if (!watchdog || watchdog.exitCode !== null || watchdog.signalCode !== null) return;
  try {
    watchdog.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}
