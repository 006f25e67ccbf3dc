import { Calibration } from './pgbench-calibration';
import { number, section } from './report-format';

/** ` (0.81 x pgbench)` after a throughput figure, or nothing without a calibration. */
export function timesPgbench(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '' : ` (${number(ratio, 3)} x pgbench)`;
}

export function formatCalibration(calibration: Calibration | null): string {
  const title = 'Calibration (pgbench TPC-B on the same PostgreSQL, before the load)';
  if (calibration === null) return section(title, [['pgbench', 'not run (the run failed first)']]);
  const { parameters: run } = calibration;
  const shape =
    `scale ${run.scale}, ${run.clients} clients, ${run.threads} threads, ` +
    `${run.seconds} s, in database ${run.database} (dropped afterwards);`;
  if (calibration.status === 'skipped') {
    return section(title, [['pgbench', `not run (${calibration.note})`]]);
  }
  if (calibration.status === 'failed') {
    return section(title, [['pgbench', `${calibration.status}: ${calibration.note}`]]);
  }
  return section(title, [
    [
      'pgbench',
      `${number(calibration.tps, 0)} tps: every rate below is also given as a ratio ` + 'to it',
    ],
    [
      'run',
      [
        shape,
        `${number(calibration.transactions)} transactions, ` +
          `${number(calibration.failedTransactions)} failed, latency average ` +
          `${number(calibration.latencyAverageMs, 2)} ms; initialised in ` +
          `${number(calibration.initialiseSeconds, 1)} s`,
      ],
    ],
  ]);
}
