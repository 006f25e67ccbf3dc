import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';

export interface MachineInfo {
  /** CPUs this process may run on (what `nproc` prints). */
  nproc: number;
  cpusOnline: number;
  cpuModel: string;
  memoryTotalGiB: number;
  memoryAvailableGiB: number | null;
  kernel: string;
  loadAverage1m: number | null;
}

function firstMatch(file: string, pattern: RegExp): string | null {
  try {
    return pattern.exec(readFileSync(file, 'utf8'))?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}

export function machineInfo(): MachineInfo {
  const availableKiB = firstMatch('/proc/meminfo', /^MemAvailable:\s+(\d+) kB/m);
  const load = firstMatch('/proc/loadavg', /^(\S+)/);
  return {
    nproc: availableParallelism(),
    cpusOnline: cpus().length,
    cpuModel:
      firstMatch('/proc/cpuinfo', /^model name\s*:\s*(.+)$/m) ?? cpus()[0]?.model ?? 'unknown',
    memoryTotalGiB: round(totalmem() / 2 ** 30, 2),
    memoryAvailableGiB: availableKiB === null ? null : round(Number(availableKiB) / 2 ** 20, 2),
    kernel: release(),
    loadAverage1m: load === null ? null : Number(load),
  };
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
