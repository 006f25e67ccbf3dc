import { readFileSync } from 'node:fs';
import { round } from './machine-info';
import { number } from './report-format';

/** A process's resident memory as the kernel counts it (/proc/<pid>/status). */
export interface ProcessMemory {
  residentMiB: number;
  /** VmHWM: the most the process ever had resident, so no sampling can miss a peak. */
  peakResidentMiB: number;
}

/** Null when the process is gone (read it before stopping the process). */
export function processMemory(pid: number | null | undefined): ProcessMemory | null {
  if (!pid) return null;
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const mebibytes = (field: string) => {
    const kibibytes = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kibibytes === undefined ? null : round(Number(kibibytes) / 1_024, 1);
  };
  const resident = mebibytes('VmRSS');
  const peak = mebibytes('VmHWM');
  return resident === null || peak === null
    ? null
    : { residentMiB: resident, peakResidentMiB: peak };
}

export function formatMemory(memory: ProcessMemory | null): string {
  return memory === null
    ? 'n/a'
    : `peak ${number(memory.peakResidentMiB, 0)} MiB resident, ` +
        `${number(memory.residentMiB, 0)} MiB when read`;
}
