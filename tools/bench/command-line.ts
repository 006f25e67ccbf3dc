import { UsageError } from './bench-config';

export interface CommandLineSpec {
  usage: string;
  /** Environment variable -> option key. */
  environment: Record<string, string>;
  /** Flag taking a value (`--rate 500` or `--rate=500`) -> option key. */
  flags: Record<string, string>;
  /** Flag without a value -> option key set to true. */
  switches: Record<string, string>;
}

/** Collects options from the environment, then the command line (which wins); validation is the caller's. */
export function readCommandLine(
  argv: string[],
  env: Record<string, string | undefined>,
  spec: CommandLineSpec,
): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(spec.environment)) if (env[name]) raw[key] = env[name];
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = argv[index].split('=', 2);
    if (flag === '--help' || flag === '-h') throw new UsageError(spec.usage, 0);
    if (spec.switches[flag]) {
      raw[spec.switches[flag]] = true;
      continue;
    }
    const key = spec.flags[flag];
    const value = inline ?? argv[++index];
    if (!key || value === undefined)
      throw new UsageError(`unknown or incomplete option ${flag}\n${spec.usage}`);
    raw[key] = value;
  }
  return raw;
}
