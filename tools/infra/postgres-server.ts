// The postmaster as a child process: its own process group, stderr into postgres.log, a fast
// shutdown to stop it, and a watchdog that stops it if this process dies first.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { Owner } from './postgres-host';
import { startWatchdog, stopWatchdog } from './watchdog';

const STOP_GRACE_MS = 20_000;

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  pid: number;
  exited: Promise<ServerExit>;
  /** Lets it outlive this process: no watchdog, no pipe. */
  detach(): void;
  /** Fast shutdown (SIGINT), SIGKILL after the grace. */
  stop(): Promise<void>;
}

export function spawnServer(
  postgresBin: string,
  serverArgs: string[],
  owner: Owner,
  logFile: string,
): ServerProcess {
  const child = spawn(postgresBin, serverArgs, {
    uid: owner?.uid,
    gid: owner?.gid,
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: Ctrl-C reaches the orchestrator, which stops the services first.
    detached: true,
  });
  child.stderr.pipe(createWriteStream(logFile, { flags: 'a' }));
  let exited = false;
  const exitPromise = new Promise<ServerExit>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  // If this process dies without stopping it, the watchdog does (fast shutdown).
  const watchdog = startWatchdog(child.pid, { signal: 'SIGINT', graceMs: STOP_GRACE_MS });
  void exitPromise.then(() => stopWatchdog(watchdog));
  return {
    pid: child.pid ?? 0,
    exited: exitPromise,
    detach() {
      stopWatchdog(watchdog);
      child.stderr.destroy();
      child.unref();
    },
    async stop() {
      if (exited) return;
      // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
      child.kill('SIGCONT');
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
