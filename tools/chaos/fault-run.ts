import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosConfig, FaultKind } from './chaos-config';
import { ChaosPlatform, ServiceName } from './chaos-platform';
import { LoadWindows } from './load-windows';

/** One injected fault and how the platform came back from it. */
export interface FaultResult {
  name: string;
  kind: FaultKind;
  window: number;
  /** Clock times (ms since the run started). */
  injectedMs: number;
  releasedMs: number;
  /** What was done, e.g. "SIGKILL pid 1234". */
  action: string;
  /** From the end of the fault to the first payment confirmed end to end; null: not in time. */
  recoverySeconds: number | null;
  /** From the end of the fault until both services answer /health/ready 200; null: not in time. */
  readySeconds: number | null;
  /** The last readiness answers that were not 200, when readiness did not come back. */
  notReady: Partial<Record<ServiceName, string>>;
  error: string | null;
}

export interface FaultRunContext {
  config: ChaosConfig;
  platform: ChaosPlatform;
  windows: LoadWindows;
  clock: () => number;
  signal: AbortSignal;
  log: (message: string) => void;
}

const READINESS_POLL_MS = 500;

const NAMES: Record<FaultKind, string> = {
  'ledger-kill': 'ledger SIGKILL',
  'gateway-kill': 'gateway SIGKILL',
  'broker-stall': 'broker stall',
  'postgres-restart': 'PostgreSQL restart',
  'broker-kill': 'broker SIGKILL + start',
};

async function inject(kind: FaultKind, context: FaultRunContext): Promise<string> {
  const { platform, config } = context;
  const kafka = platform.infra.kafka;
  switch (kind) {
    case 'ledger-kill':
    case 'gateway-kill':
      return `SIGKILL pid ${platform.kill(kind === 'ledger-kill' ? 'ledger' : 'gateway')}`;
    case 'broker-stall': {
      const pid = kafka.pid;
      process.kill(pid, 'SIGSTOP');
      try {
        await sleep(config.stallMs);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      return `SIGSTOP pid ${pid} for ${config.stallMs / 1_000} s, then SIGCONT`;
    }
    case 'postgres-restart': {
      const before = platform.infra.postgres.pid;
      await platform.infra.postgres.restart();
      return `fast shutdown of pid ${before}, started again as pid ${platform.infra.postgres.pid}`;
    }
    case 'broker-kill': {
      const pid = kafka.pid;
      process.kill(pid, 'SIGKILL');
      await kafka.exited;
      await sleep(config.brokerDownMs);
      await kafka.restart();
      return (
        `SIGKILL pid ${pid}, down ${config.brokerDownMs / 1_000} s, started on the same ` +
        `data as pid ${kafka.pid}`
      );
    }
  }
}

async function waitForReadiness(
  context: FaultRunContext,
  deadlineMs: number,
): Promise<{ readyMs: number | null; notReady: FaultResult['notReady'] }> {
  let notReady: FaultResult['notReady'] = {};
  while (context.clock() < deadlineMs && !context.signal.aborted) {
    const states = await context.platform.readiness();
    notReady = Object.fromEntries(Object.entries(states).filter(([, state]) => state !== 'ready'));
    if (Object.keys(notReady).length === 0) return { readyMs: context.clock(), notReady };
    await sleep(READINESS_POLL_MS);
  }
  return { readyMs: null, notReady };
}

/** The faults one after another, each followed by its recovery (bounded) and a settle period. */
export async function runFaults(context: FaultRunContext): Promise<FaultResult[]> {
  const { config, windows, clock, signal, log } = context;
  const results: FaultResult[] = [];
  const seen = new Map<FaultKind, number>();
  for (const kind of config.faults) {
    signal.throwIfAborted();
    const count = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, count);
    const repeated = config.faults.filter((other) => other === kind).length > 1;
    const name = repeated ? `${NAMES[kind]} #${count}` : NAMES[kind];
    const injectedMs = clock();
    const window = windows.enter(name, injectedMs);
    log(`fault: ${name}`);
    let action = '';
    let error: string | null = null;
    try {
      action = await inject(kind, context);
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
      log(`fault ${name} could not be injected: ${error}`);
    }
    const releasedMs = clock();
    const deadlineMs = releasedMs + config.recoveryTimeoutMs;
    const endToEnd = await windows.waitForEndToEnd(releasedMs, config.recoveryTimeoutMs, signal);
    const { readyMs, notReady } = await waitForReadiness(context, deadlineMs);
    const seconds = (atMs: number | null) => (atMs === null ? null : (atMs - releasedMs) / 1_000);
    const result: FaultResult = {
      name,
      kind,
      window,
      injectedMs,
      releasedMs,
      action,
      recoverySeconds: seconds(endToEnd),
      readySeconds: seconds(readyMs),
      notReady,
      error,
    };
    results.push(result);
    log(
      `${name}: ${action}; ` +
        (endToEnd === null
          ? `NOT recovered within ` + `${config.recoveryTimeoutMs / 1_000} s`
          : `payments complete again after ` + `${result.recoverySeconds?.toFixed(1)} s`) +
        (readyMs === null
          ? `; not ready: ` + JSON.stringify(notReady)
          : `; ready after ${result.readySeconds?.toFixed(1)} s`),
    );
    await sleep(config.settleMs, undefined, { signal });
  }
  return results;
}
