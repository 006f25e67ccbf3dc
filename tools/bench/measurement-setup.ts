import { Infrastructure } from './bench-infrastructure';
import { LedgerDatabase } from './ledger-database';
import { Calibration, calibrate } from './pgbench-calibration';
import { StatementCounter } from './statement-counter';

/**
 * What both benchmarks do once PostgreSQL is up and before anything loads it: pgbench first (the
 * services are not running yet, so it has the machine to itself), then the statement counter.
 */
export async function prepareMeasurement(options: {
  infrastructure: Infrastructure;
  database: LedgerDatabase;
  calibrationSeconds: number;
  signal: AbortSignal;
  log: (message: string) => void;
}): Promise<{ calibration: Calibration; statements: StatementCounter }> {
  const { infrastructure, log } = options;
  const calibration = await calibrate({
    target: {
      databaseUrl: infrastructure.databaseUrl,
      postgresBin: infrastructure.postgresBin,
      clusterDir: infrastructure.postgresClusterDir,
    },
    admin: options.database,
    seconds: options.calibrationSeconds,
    signal: options.signal,
    log,
  });
  options.signal.throwIfAborted();
  const statements = await StatementCounter.open(infrastructure.databaseUrl);
  if (statements.unavailable) log(statements.unavailable);
  return { calibration, statements };
}
