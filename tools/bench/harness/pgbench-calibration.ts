import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { BenchDatabase } from './bench-database';
import { round } from './machine-info';

const run = promisify(execFile);

/** TPC-B as the throughput issue defines the yardstick: scale 10, 8 clients, 2 threads. */
const SCALE = 10;
const CLIENTS = 8;
const THREADS = 2;
/** Its own database, so that the platform's schemas and statistics stay untouched. */
export const CALIBRATION_DATABASE = 'pgbench_calibration';
const INITIALISE_TIMEOUT_MS = 600_000;
const RUN_TIMEOUT_EXTRA_MS = 120_000;

export interface Calibration {
  status: 'measured' | 'skipped' | 'failed';
  /** TPC-B transactions per second (pgbench's figure without initial connection time). */
  tps: number | null;
  latencyAverageMs: number | null;
  transactions: number | null;
  failedTransactions: number | null;
  parameters: {
    scale: number;
    clients: number;
    threads: number;
    seconds: number;
    database: string;
  };
  initialiseSeconds: number | null;
  /** pgbench -i's own summary, e.g. `done in 1.52 s (drop tables 0.00 s, ...)`. */
  initialiseSummary: string | null;
  /** Why there is no figure, or what went wrong. */
  note: string | null;
}

export interface CalibrationTarget {
  databaseUrl: string;
  /** Where Debian's PostgreSQL binaries are (pgbench among them); null if not found. */
  postgresBin: string | null;
  /** The data folder of a cluster we started: as root, pgbench runs as its owner. */
  clusterDir: string | null;
}

/** A throughput figure divided by pgbench's tps of the same run; null without a calibration. */
export function ratioToPgbench(
  calibration: Calibration | null,
  value: number | null,
): number | null {
  if (!calibration?.tps || value === null) return null;
  return round(value / calibration.tps, 3);
}

/**
 * pgbench TPC-B against the benchmark's PostgreSQL, before the load, so that every throughput
 * figure can be read as a ratio to what this machine did the same hour (its speed varies about 3x
 * between days). A failure is reported, not thrown: the benchmark is still worth running.
 */
export async function calibrate(options: {
  target: CalibrationTarget;
  admin: BenchDatabase;
  seconds: number;
  signal: AbortSignal;
  log: (message: string) => void;
}): Promise<Calibration> {
  const { target, admin, seconds, log } = options;
  const result: Calibration = {
    status: 'skipped',
    tps: null,
    latencyAverageMs: null,
    transactions: null,
    failedTransactions: null,
    initialiseSeconds: null,
    initialiseSummary: null,
    note: null,
    parameters: {
      scale: SCALE,
      clients: CLIENTS,
      threads: THREADS,
      seconds,
      database: CALIBRATION_DATABASE,
    },
  };
  if (seconds === 0) {
    result.note = '--calibration-seconds 0: no figure has a ratio to pgbench';
    return result;
  }
  if (!target.postgresBin) {
    return { ...result, status: 'failed', note: 'pgbench not found (apt-get install postgresql)' };
  }
  try {
    await admin.rows(`DROP DATABASE IF EXISTS ${CALIBRATION_DATABASE} WITH (FORCE)`);
    await admin.rows(`CREATE DATABASE ${CALIBRATION_DATABASE}`);
    const pgbench = pgbenchRunner(target, options.signal);
    log(`calibration: pgbench -i -s ${SCALE} into database ${CALIBRATION_DATABASE}`);
    const initialiseStart = performance.now();
    const initialised = await pgbench(['-i', '-q', '-s', String(SCALE)], INITIALISE_TIMEOUT_MS);
    result.initialiseSummary = /^done in .*$/m.exec(initialised.stderr)?.[0] ?? null;
    result.initialiseSeconds = round((performance.now() - initialiseStart) / 1_000, 1);
    log(`calibration: pgbench TPC-B, ${CLIENTS} clients, ${THREADS} threads, ${seconds} s`);
    const output = await pgbench(
      ['-c', String(CLIENTS), '-j', String(THREADS), '-T', String(seconds)],
      seconds * 1_000 + RUN_TIMEOUT_EXTRA_MS,
    );
    Object.assign(result, parsePgbenchOutput(output.stdout), { status: 'measured' });
    log(`calibration: ${result.tps} tps`);
  } catch (error) {
    result.status = 'failed';
    result.note = error instanceof Error ? error.message.slice(0, 1_000) : String(error);
    log(`calibration failed: ${result.note}`);
  } finally {
    await dropCalibrationDatabase(admin, log);
  }
  return result;
}

/** pgbench's summary lines, e.g. `tps = 1866.409939 (without initial connection time)`. */
export function parsePgbenchOutput(
  output: string,
): Pick<Calibration, 'tps' | 'latencyAverageMs' | 'transactions' | 'failedTransactions'> {
  const figure = (pattern: RegExp) => {
    const match = pattern.exec(output);
    return match ? Number(match[1]) : null;
  };
  const tps = figure(/^tps = ([\d.]+)/m);
  if (tps === null) throw new Error(`no tps in pgbench's output: ${output.slice(-500)}`);
  return {
    tps: round(tps, 1),
    latencyAverageMs: figure(/^latency average = ([\d.]+) ms/m),
    transactions: figure(/^number of transactions actually processed: (\d+)/m),
    failedTransactions: figure(/^number of failed transactions: (\d+)/m),
  };
}

type PgbenchRunner = (
  args: string[],
  timeoutMs: number,
) => Promise<{ stdout: string; stderr: string }>;

function pgbenchRunner(target: CalibrationTarget, signal: AbortSignal): PgbenchRunner {
  const url = new URL(target.databaseUrl);
  const connection = [
    '-h',
    url.hostname,
    '-p',
    url.port || '5432',
    '-U',
    decodeURIComponent(url.username),
  ];
  // initdb refuses root, so our cluster belongs to an unprivileged user: run pgbench as it.
  const owner = process.getuid?.() === 0 && target.clusterDir ? statSync(target.clusterDir) : null;
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(url.password) };
  return async (args, timeoutMs) => {
    return run(
      join(target.postgresBin ?? '', 'pgbench'),
      [...connection, ...args, CALIBRATION_DATABASE],
      {
        env,
        cwd: tmpdir(),
        uid: owner?.uid,
        gid: owner?.gid,
        timeout: timeoutMs,
        signal,
        maxBuffer: 16 * 2 ** 20,
        encoding: 'utf8',
      },
    );
  };
}

/**
 * Gone afterwards whatever happened; a checkpoint then writes out what pgbench dirtied, so that
 * the measured window does not pay for the calibration's checkpoint.
 */
async function dropCalibrationDatabase(
  admin: BenchDatabase,
  log: (message: string) => void,
): Promise<void> {
  try {
    await admin.rows(`DROP DATABASE IF EXISTS ${CALIBRATION_DATABASE} WITH (FORCE)`);
    await admin.rows('CHECKPOINT');
  } catch (error) {
    log(`calibration cleanup: ${error instanceof Error ? error.message : String(error)}`);
  }
}
