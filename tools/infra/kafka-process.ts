// The broker's JVM: started in its own process group with its output in kafka.log, stopped with
// SIGTERM (SIGKILL after a grace), and never left behind when this process dies.
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { BrokerLayout } from './kafka-storage';
import { startWatchdog, stopWatchdog } from './watchdog';

const STOP_GRACE_MS = 20_000;
const DEFAULT_JVM_ARGS = [
  '-Xms256m',
  '-Xmx768m',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:+ExplicitGCInvokesConcurrent',
];

export interface BrokerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export interface BrokerProcess {
  pid: number;
  /** Settles when the JVM is gone. */
  exited: Promise<BrokerExit>;
  /** The exit once it happened, else null. */
  exit(): BrokerExit | null;
  /** True once stop() was called. */
  stopping(): boolean;
  /** SIGCONT and SIGTERM, SIGKILL after the grace; idempotent. */
  stop(): Promise<void>;
  /** Drops the watchdog and the exit hook (after the JVM died on its own). */
  release(): void;
}

function spawnJvm(layout: BrokerLayout, jvmArgs: string[] | undefined): ChildProcess {
  const logFd = openSync(layout.logFile, 'a');
  try {
    return spawn(
      layout.java,
      [
        ...(jvmArgs ?? DEFAULT_JVM_ARGS),
        '-XX:MaxInlineLevel=15',
        ...layout.commonJvmArgs,
        '-cp',
        layout.classpath,
        'kafka.Kafka',
        layout.propertiesFile,
      ],
      // Own process group: a terminal's Ctrl-C reaches the orchestrator only, which stops the
      // services before the broker; the watchdog covers the orchestrator's death.
      {
        cwd: layout.dataDir,
        stdio: ['ignore', logFd, logFd],
        windowsHide: true,
        detached: true,
      },
    );
  } finally {
    closeSync(logFd);
  }
}

function trackExit(child: ChildProcess): {
  exited: Promise<BrokerExit>;
  exit: () => BrokerExit | null;
} {
  let exit: BrokerExit | null = null;
  const exited = new Promise<BrokerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.once('error', (error) => {
      exit = { code: null, signal: null, error };
      resolve(exit);
    });
  });
  return { exited, exit: () => exit };
}

export function startBrokerProcess(options: {
  layout: BrokerLayout;
  jvmArgs?: string[];
  log: (message: string) => void;
}): BrokerProcess {
  const child = spawnJvm(options.layout, options.jvmArgs);
  const pid = child.pid ?? 0;
  const { exited, exit } = trackExit(child);
  // A tiny detached watchdog holds a pipe from this process and terminates the broker if that
  // pipe closes (this process died, even by SIGKILL).
  const watchdog = startWatchdog(child.pid, { signal: 'SIGTERM', graceMs: STOP_GRACE_MS });
  // And on a normal exit of this Node process.
  const onParentExit = () => {
    if (!exit()) child.kill('SIGTERM');
  };
  process.once('exit', onParentExit);
  const release = () => {
    stopWatchdog(watchdog);
    process.removeListener('exit', onParentExit);
  };

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (!exit()) {
        options.log(`stopping broker pid ${pid} ...`);
        // A stalled (SIGSTOPped) broker would only act on SIGTERM once continued.
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise(
          (resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS, 'timeout')),
        );
        const first = await Promise.race([exited, timeout]);
        clearTimeout(timer);
        if (first === 'timeout' && !exit()) {
          options.log(
            `broker pid ${pid} did not exit in ${STOP_GRACE_MS / 1000}s, sending SIGKILL`,
          );
          child.kill('SIGKILL');
        }
        await exited;
      }
      release();
    })();
    return stopping;
  };
  return { pid, exited, exit, stopping: () => stopping !== null, stop, release };
}
