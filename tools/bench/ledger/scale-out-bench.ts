// `npm run bench:scale-out`: the ledger benchmark's drain with one, then with two ledger processes
// in one consumer group, on the same infrastructure and pgbench calibration. Each round seeds its
// own accounts (a fresh plan of the same shape), preloads and drains; prints both rounds, their
// rates and the ratio, and writes results/ledger-scale-out-<time>.json.
import { timesPgbench } from '../harness/calibration-table';
import { REPO_ROOT, createLog, runMain } from '../harness/bench-main';
import { openBenchRun, recordRun } from '../harness/bench-run';
import { round } from '../harness/machine-info';
import { number, section } from '../harness/report-format';
import { writeJsonResult } from '../harness/results-files';
import { BenchConfig, loadBenchConfig } from './ledger-bench-config';
import { LedgerRunRecord } from './ledger-record';
import { formatResult } from './ledger-report';
import { BenchResult } from './ledger-result';
import { connect, nextRound, runRound } from './ledger-run';

const { log } = createLog('scale-out');
const RESULTS_PREFIX = 'ledger-scale-out';

/** Two ledgers' commands/s over one ledger's, with both rounds' ratios to pgbench. */
function comparison(one: BenchResult, two: BenchResult) {
  const rate = (result: BenchResult) => result.drain?.commandsPerSecond ?? null;
  const [oneRate, twoRate] = [rate(one), rate(two)];
  return {
    oneLedgerCommandsPerSecond: oneRate,
    twoLedgersCommandsPerSecond: twoRate,
    oneLedgerToPgbench: one.ratiosToPgbench.drainCommandsPerSecond ?? null,
    twoLedgersToPgbench: two.ratiosToPgbench.drainCommandsPerSecond ?? null,
    twoOverOne: oneRate && twoRate !== null ? round(twoRate / oneRate, 3) : null,
  };
}

function formatComparison(figures: ReturnType<typeof comparison>): string {
  const rate = (value: number | null, ratio: number | null) =>
    value === null ? 'n/a' : `${number(value, 0)} commands/s${timesPgbench(ratio)}`;
  return section('Scale-out (the same workload, the same calibration)', [
    ['1 ledger', rate(figures.oneLedgerCommandsPerSecond, figures.oneLedgerToPgbench)],
    ['2 ledgers', rate(figures.twoLedgersCommandsPerSecond, figures.twoLedgersToPgbench)],
    ['2 over 1', figures.twoOverOne === null ? 'n/a' : `${number(figures.twoOverOne, 3)} x`],
  ]);
}

async function main(config: BenchConfig): Promise<number> {
  const { controller, resources, context } = openBenchRun({
    tempPrefix: 'rtp-ledger-scale-out-',
    log,
    killed: 'the ledgers',
  });
  const configs = ([1, 2] as const).map((ledgers) => ({
    ...config,
    ledgers,
    rebalanceAtS: undefined,
  }));
  const records = configs.map((one) => new LedgerRunRecord(one));
  const statuses = { failed: 'failed', interrupted: 'failed' } as const;
  await recordRun(records[0], statuses, controller.signal, log, async () => {
    const first = await connect({ ...context, config: configs[0], record: records[0] });
    await runRound(first);
    await resources.stopServices();
    const second = nextRound(first, { ...context, config: configs[1], record: records[1] });
    await recordRun(records[1], statuses, controller.signal, log, () => runRound(second));
  });
  await resources.stopServices();
  const [one, two] = records.map((record) => record.toResult());
  const figures = comparison(one, two);
  if (!controller.signal.aborted) {
    for (const result of [one, two]) console.log(`\n${formatResult(result)}\n`);
    console.log(`${formatComparison(figures)}\n`);
    const result = { benchmark: 'ledger-scale-out', ...figures, oneLedger: one, twoLedgers: two };
    const file = writeJsonResult(REPO_ROOT, RESULTS_PREFIX, result, records[0].startedAt);
    console.log(`written to ${file}`);
  }
  await resources.release({ keep: config.keep });
  if (controller.signal.aborted) return 130;
  return one.status === 'completed' && two.status === 'completed' ? 0 : 1;
}

runMain(() => loadBenchConfig(process.argv.slice(2), process.env), main);
