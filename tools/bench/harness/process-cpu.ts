import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { round } from './machine-info';

interface ProcStat {
  pid: number;
  comm: string;
  parentPid: number;
  /** utime + stime, in clock ticks. */
  ownTicks: number;
  /** cutime + cstime: children that exited and were waited for. */
  reapedChildrenTicks: number;
}

/** CPU time of a set of processes at one instant, in seconds, and how many were counted. */
export interface CpuSample {
  seconds: number;
  processes: number;
}

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
  return {
    pid,
    comm: text.slice(text.indexOf('(') + 1, close),
    parentPid: Number(fields[1]),
    ownTicks: Number(fields[11]) + Number(fields[12]),
    reapedChildrenTicks: Number(fields[13]) + Number(fields[14]),
  };
}

function allStats(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== null);
}

export function processName(pid: number): string | null {
  return readStat(pid)?.comm ?? null;
}

export function parentPid(pid: number): number | null {
  return readStat(pid)?.parentPid ?? null;
}

/** One process's own CPU time. */
export function processCpu(pid: number): CpuSample {
  const stat = readStat(pid);
  return { seconds: (stat?.ownTicks ?? 0) / CLOCK_TICKS_PER_SECOND, processes: stat ? 1 : 0 };
}

/**
 * A server and its direct children (PostgreSQL's postmaster and its backends): their own time plus
 * the time of children that already exited, which the kernel adds to the parent's cutime/cstime.
 * The difference of two samples is the CPU the whole tree used in between.
 */
export function processTreeCpu(rootPid: number): CpuSample {
  const stats = allStats();
  const root = stats.find((stat) => stat.pid === rootPid);
  if (!root) return { seconds: 0, processes: 0 };
  const children = stats.filter((stat) => stat.parentPid === rootPid);
  const ticks =
    root.ownTicks +
    root.reapedChildrenTicks +
    children.reduce((sum, child) => sum + child.ownTicks, 0);
  return { seconds: ticks / CLOCK_TICKS_PER_SECOND, processes: 1 + children.length };
}

/** The postmaster of a PostgreSQL on this machine, found as the parent of one of its backends. */
export function postmasterOf(backendPid: number): number | null {
  if (processName(backendPid) !== 'postgres') return null;
  const parent = parentPid(backendPid);
  return parent !== null && processName(parent) === 'postgres' ? parent : null;
}

/** The process listening on a local TCP port (for a Kafka broker we did not start), via `ss`. */
export function listenerPid(port: number): number | null {
  try {
    const output = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(output);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** CPU a process (or a server and its children) used over a window. */
export interface CpuFigure {
  seconds: number;
  percentOfOneCore: number;
  processes: number;
}

/** The CPU used between two samples of the same processes; null if either found none. */
export function cpuFigure(
  start: CpuSample | null | undefined,
  end: CpuSample | null | undefined,
  seconds: number,
): CpuFigure | null {
  if (!start || !end || start.processes === 0 || end.processes === 0 || seconds <= 0) return null;
  const used = end.seconds - start.seconds;
  return {
    seconds: round(used, 2),
    percentOfOneCore: round((used / seconds) * 100, 1),
    processes: end.processes,
  };
}

/**
 * The processes a benchmark watches, in the order its report lists them: the services it started,
 * PostgreSQL's postmaster (its backends counted with it), the Kafka broker (null when not on this
 * machine or not found), then this process under `self`.
 */
export interface WatchedProcesses {
  services: Record<string, number>;
  postmaster: number | null;
  kafka: number | null;
  self: string;
}

/** CPU times of the watched processes at one instant (performance.now() in `at`). */
export interface CpuSnapshot {
  at: number;
  samples: Record<string, CpuSample | null>;
}

/** This process: the load generator or the benchmark's polling. */
function selfCpu(): CpuSample {
  const usage = process.cpuUsage();
  return { seconds: (usage.user + usage.system) / 1_000_000, processes: 1 };
}

export function takeCpuSnapshot(watched: WatchedProcesses): CpuSnapshot {
  const at = performance.now();
  const samples: Record<string, CpuSample | null> = {};
  for (const [name, pid] of Object.entries(watched.services)) samples[name] = processCpu(pid);
  samples.postgres = watched.postmaster === null ? null : processTreeCpu(watched.postmaster);
  samples.kafka = watched.kafka === null ? null : processCpu(watched.kafka);
  samples[watched.self] = selfCpu();
  return { at, samples };
}

/** CPU used by each watched process between two snapshots. */
export function cpuBetween(start: CpuSnapshot, end: CpuSnapshot): Record<string, CpuFigure | null> {
  const seconds = (end.at - start.at) / 1_000;
  return Object.fromEntries(
    Object.keys(end.samples).map((name) => [
      name,
      cpuFigure(start.samples[name], end.samples[name], seconds),
    ]),
  );
}
