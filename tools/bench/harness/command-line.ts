import { parseArgs } from 'node:util';
import { z } from 'zod';

/** A wrong or missing option, or --help: the message goes to stderr and the process exits. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export interface CommandLineSpec {
  usage: string;
  /** Environment variable -> option key. */
  environment: Record<string, string>;
  /** Flag taking a value (`--rate 500` or `--rate=500`) -> option key. */
  flags: Record<string, string>;
  /** Flag without a value -> option key set to true. */
  switches: Record<string, string>;
}

/**
 * Collects options from the environment, then the command line (which wins), with node's
 * parseArgs; validating the values is the caller's (zod).
 */
export function readCommandLine(
  argv: string[],
  env: Record<string, string | undefined>,
  spec: CommandLineSpec,
): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(spec.environment)) if (env[name]) raw[key] = env[name];
  const keys = new Map<string, string>();
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [kind, flags] of [
    ['string', spec.flags],
    ['boolean', spec.switches],
  ] as const) {
    for (const [flag, key] of Object.entries(flags)) {
      options[flag.replace(/^--/, '')] = { type: kind };
      keys.set(flag.replace(/^--/, ''), key);
    }
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${reason}\n${spec.usage}`);
  }
  if (values.help) throw new UsageError(spec.usage, 0);
  for (const [name, value] of Object.entries(values)) {
    const key = keys.get(name);
    if (key !== undefined && value !== undefined) raw[key] = value;
  }
  return raw;
}

/** The options read as above and validated by `schema`; a wrong one is a UsageError. */
export function parseCommandLine<Schema extends z.ZodType>(
  argv: string[],
  env: Record<string, string | undefined>,
  spec: CommandLineSpec,
  schema: Schema,
): z.output<Schema> {
  const parsed = schema.safeParse(readCommandLine(argv, env, spec));
  if (!parsed.success) throw new UsageError(`${z.prettifyError(parsed.error)}\n${spec.usage}`);
  return parsed.data;
}
