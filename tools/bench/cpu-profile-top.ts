// The functions with the most self time in V8 CPU profiles (`node --cpu-prof`), one table per
// profile: how the benchmarks' notes name where a process's JavaScript time goes.
//
//   CPU_PROFILE_DIR=/tmp/profiles npm run bench:api -- --rate 300
//   npm run profile:top -- /tmp/profiles [--top 25]
//
// Every service started through tools/services.ts runs with `--cpu-prof` into CPU_PROFILE_DIR and
// writes its profile when it stops (the benchmarks stop them with SIGTERM); the file name carries
// the process id the benchmark prints.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  function: string;
  location: string;
  selfMs: number;
  /** Of all samples, idle included. */
  percent: number;
  /** Of the samples that ran JavaScript or native code (idle, program and GC taken out). */
  percentOfBusy: number;
}

export interface ProfileSummary {
  file: string;
  pid: number | null;
  durationMs: number;
  busyMs: number;
  garbageCollectionMs: number;
  top: SelfTime[];
}

const NOT_BUSY = new Set(['(idle)', '(program)', '(garbage collector)']);

/** Self time per function (same name and location summed), from the samples' time deltas. */
export function summariseProfile(file: string, profile: CpuProfile, top: number): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[index] ?? 0));
  });
  const byFunction = new Map<string, { function: string; location: string; us: number }>();
  let totalUs = 0;
  let busyUs = 0;
  let gcUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)?.callFrame;
    const name = frame?.functionName || '(anonymous)';
    totalUs += us;
    if (name === '(garbage collector)') gcUs += us;
    if (NOT_BUSY.has(name)) continue;
    busyUs += us;
    const location = frame?.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '(native)';
    const key = `${name} ${location}`;
    const entry = byFunction.get(key) ?? { function: name, location, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const pid = /\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(file)?.[1];
  return {
    file: basename(file),
    pid: pid ? Number(pid) : null,
    durationMs: Math.round((profile.endTime - profile.startTime) / 1_000),
    busyMs: Math.round(busyUs / 1_000),
    garbageCollectionMs: Math.round(gcUs / 1_000),
    top: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((entry) => ({
        function: entry.function,
        location: entry.location,
        selfMs: Math.round(entry.us / 1_000),
        percent: totalUs > 0 ? Math.round((entry.us / totalUs) * 1_000) / 10 : 0,
        percentOfBusy: busyUs > 0 ? Math.round((entry.us / busyUs) * 1_000) / 10 : 0,
      })),
  };
}

/** node_modules/<package>/... or the path below the repository. */
function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  const repo = path.search(/\/(apps|libs|tools)\//);
  return repo >= 0 ? path.slice(repo + 1) : path;
}

export function formatSummary(summary: ProfileSummary): string {
  const lines = [
    `${summary.file} (pid ${summary.pid ?? '?'}): ${summary.durationMs} ms profiled, ` +
      `${summary.busyMs} ms busy, ${summary.garbageCollectionMs} ms garbage collection`,
  ];
  for (const entry of summary.top) {
    lines.push(
      `  ${entry.percentOfBusy.toFixed(1).padStart(5)} %  ${String(entry.selfMs).padStart(6)} ms  ` +
        `${entry.function}  ${entry.location}`,
    );
  }
  return lines.join('\n');
}

const USAGE = 'usage: npm run profile:top -- <profile or directory>... [--top N]\n';

function main(argv: string[]): void {
  let paths: string[];
  let top: number;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { top: { type: 'string', default: '20' } },
      allowPositionals: true,
    });
    paths = positionals;
    top = Number(values.top);
  } catch {
    paths = [];
    top = 0;
  }
  if (paths.length === 0 || !Number.isInteger(top) || top < 1) {
    process.stderr.write(USAGE);
    process.exitCode = 2;
    return;
  }
  const files = paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => name.endsWith('.cpuprofile'))
          .sort()
          .map((name) => join(path, name))
      : [path],
  );
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    process.stdout.write(`${formatSummary(summariseProfile(file, profile, top))}\n\n`);
  }
}

if (require.main === module) main(process.argv.slice(2));
