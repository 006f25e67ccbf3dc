import { CpuFigure, CpuSnapshot, cpuBetween, takeCpuSnapshot } from '../harness/process-cpu';

/** The processes whose CPU the report shows; null when not on this machine or not found. */
export interface ObservedPids {
  gateway: number;
  ledger: number;
  /** PostgreSQL's postmaster: its backends are counted with it. */
  postmaster: number | null;
  kafka: number | null;
}

/** In the report's order; `generator` is this process (the load and the benchmark's polling). */
export const PROCESS_NAMES = ['gateway', 'ledger', 'postgres', 'kafka', 'generator'] as const;
export type ProcessName = (typeof PROCESS_NAMES)[number];

export type { CpuSnapshot } from '../harness/process-cpu';

export function takeStepCpu(pids: ObservedPids): CpuSnapshot {
  return takeCpuSnapshot({
    services: { gateway: pids.gateway, ledger: pids.ledger },
    postmaster: pids.postmaster,
    kafka: pids.kafka,
    self: 'generator',
  });
}

/** CPU used by each process between two snapshots, as seconds and as a share of one core. */
export function stepCpuBetween(
  start: CpuSnapshot,
  end: CpuSnapshot,
): Record<ProcessName, CpuFigure | null> {
  const figures = cpuBetween(start, end);
  return Object.fromEntries(PROCESS_NAMES.map((name) => [name, figures[name] ?? null])) as Record<
    ProcessName,
    CpuFigure | null
  >;
}
