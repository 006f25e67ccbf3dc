import { performance } from 'node:perf_hooks';
import { CpuFigure } from '../bench/drain-figures';
import { round } from '../bench/machine-info';
import { CpuSample, processCpu, processTreeCpu } from '../bench/process-cpu';

/** The processes whose CPU the report shows; null when not on this machine or not found. */
export interface ObservedPids {
  gateway: number;
  ledger: number;
  /** PostgreSQL's postmaster: its backends are counted with it. */
  postmaster: number | null;
  kafka: number | null;
}

export const PROCESS_NAMES = ['gateway', 'ledger', 'postgres', 'kafka', 'generator'] as const;
export type ProcessName = (typeof PROCESS_NAMES)[number];

export interface CpuSnapshot {
  /** performance.now() when the times were read. */
  at: number;
  samples: Record<ProcessName, CpuSample | null>;
}

/** This process: the load generator, plus the benchmark's own polling (small). */
function generatorCpu(): CpuSample {
  const usage = process.cpuUsage();
  return { seconds: (usage.user + usage.system) / 1_000_000, processes: 1 };
}

export function takeCpuSnapshot(pids: ObservedPids): CpuSnapshot {
  return {
    at: performance.now(),
    samples: {
      gateway: processCpu(pids.gateway),
      ledger: processCpu(pids.ledger),
      postgres: pids.postmaster === null ? null : processTreeCpu(pids.postmaster),
      kafka: pids.kafka === null ? null : processCpu(pids.kafka),
      generator: generatorCpu(),
    },
  };
}

/** CPU used by each process between two snapshots, as seconds and as a share of one core. */
export function cpuBetween(
  start: CpuSnapshot,
  end: CpuSnapshot,
): Record<ProcessName, CpuFigure | null> {
  const seconds = (end.at - start.at) / 1_000;
  const figure = (name: ProcessName): CpuFigure | null => {
    const before = start.samples[name];
    const after = end.samples[name];
    if (!before || !after || before.processes === 0 || after.processes === 0 || seconds <= 0) {
      return null;
    }
    const used = after.seconds - before.seconds;
    return {
      seconds: round(used, 2),
      percentOfOneCore: round((used / seconds) * 100, 1),
      processes: after.processes,
    };
  };
  return Object.fromEntries(PROCESS_NAMES.map((name) => [name, figure(name)])) as Record<
    ProcessName,
    CpuFigure | null
  >;
}
