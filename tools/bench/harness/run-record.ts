import { MachineInfo, machineInfo, round } from './machine-info';
import { Calibration } from './pgbench-calibration';

/** What every benchmark's result (JSON and table) begins with, and its error at the end. */
export interface RunResult<Benchmark extends string, Status extends string> {
  benchmark: Benchmark;
  status: Status;
  startedAt: string;
  finishedAt: string;
  parameters: Record<string, unknown>;
  machine: MachineInfo;
  versions: Record<string, string>;
  postgresSettings: Record<string, string>;
  phases: Record<string, number | null>;
  /** pgbench TPC-B on the same PostgreSQL before the load: the yardstick of every rate. */
  calibration: Calibration | null;
  error: string | null;
}

export const packageVersion = (name: string): string =>
  (require(`${name}/package.json`) as { version: string }).version;

/** Where PostgreSQL and Kafka came from, as every benchmark's parameters say it. */
export function infrastructureParameters(config: {
  databaseUrl: string | undefined;
  kafkaBrokers: string | undefined;
}): { postgres: string; kafka: string } {
  return {
    postgres: config.databaseUrl ? 'given (DATABASE_URL)' : 'started by the benchmark',
    kafka: config.kafkaBrokers ? 'given (KAFKA_BROKERS)' : 'started by the benchmark',
  };
}

/**
 * What every benchmark run learns, filled in phase by phase and reported even when a phase failed:
 * when it ran, on what, with which versions and PostgreSQL settings, its phases' durations, the
 * pgbench calibration, and the error that ended it.
 */
export class RunRecord<Status extends string> {
  readonly startedAt = new Date();
  readonly machine: MachineInfo = machineInfo();
  versions: Record<string, string>;
  postgresSettings: Record<string, string> = {};
  phases: Record<string, number | null> = {};
  calibration: Calibration | null = null;
  error: string | null = null;

  constructor(
    public status: Status,
    /** Package name -> the label the report gives it, e.g. `undici (load generator)`. */
    packages: Record<string, string>,
  ) {
    this.versions = { node: process.version };
    for (const [name, label] of Object.entries(packages))
      this.versions[label] = packageVersion(name);
  }

  /** Each phase in seconds, to the millisecond. */
  roundedPhases(): Record<string, number | null> {
    return Object.fromEntries(
      Object.entries(this.phases).map(([name, value]) => [
        name,
        value === null ? null : round(value, 3),
      ]),
    );
  }
}
