import { formatCalibration, timesPgbench } from '../harness/calibration-table';
import { formatMemory } from '../harness/process-memory';
import { Row, levelCounts, number, section, settingLines } from '../harness/report-format';
import { resultsFile } from '../harness/results-files';
import { ApiBenchResult, RESULTS_PREFIX } from './api-run-record';
import { StepResult } from './step-figures';
import { formatStep, formatSummary } from './step-table';
import { writeSweepChart } from './sweep-chart';
import { formatCostSummary } from './sweep-summary';

/** One line per finished step, for the progress log. */
export function formatStepLine(step: StepResult): string {
  const latency = step.latencyMs.allRequests;
  const ms = (value: number | null) => (value === null ? 'inf' : `${number(value, 1)} ms`);
  return (
    `${step.intendedRatePerSecond}/s: ${number(step.answersPerSecond, 1)} answers/s, ` +
    `${number(step.counts.completed)} completed, ${number(step.counts.accepted)} 202, ` +
    `${number(step.counts.serverErrors + step.counts.networkErrors)} errors, ` +
    `${number(step.counts.dropped)} dropped; p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}`
  );
}

/** The run as a readable table; the JSON file has the same figures and a per-second timeline. */
export function formatApiResult(result: ApiBenchResult): string {
  const { machine, parameters, postgresSettings: settings } = result;
  const parts = [
    section('API benchmark (open loop: POST /v1/payments through gateway, Kafka and ledger)', [
      ['status', result.status],
      [
        'workload',
        [
          `${number(parameters.accounts as number)} funded EUR accounts under ` +
            `${parameters.clients as number} clients; payments of 1-100 cents within a client,`,
          `default wait (a 201 is confirmed end to end); ${parameters.connections as number} ` +
            `keep-alive connections, at most ${number(parameters.outstandingMax as number)} ` +
            'outstanding',
        ],
      ],
      [
        'machine',
        `${machine.nproc} CPUs (${machine.cpuModel}), ${machine.memoryTotalGiB} GiB, ` +
          `load ${machine.loadAverage1m} at start, kernel ${machine.kernel}`,
      ],
      [
        'versions',
        Object.entries(result.versions)
          .map(([name, version]) => `${name} ${version}`)
          .join(', '),
      ],
      [
        'postgres',
        `fsync=${settings.fsync} synchronous_commit=${settings.synchronous_commit} ` +
          `wal_sync_method=${settings.wal_sync_method} shared_buffers=${settings.shared_buffers}`,
      ],
      ['gateway settings', settingLines(result.serviceSettings.gateway ?? {})],
      ['ledger settings', settingLines(result.serviceSettings.ledger ?? {})],
      [
        'phases',
        Object.entries(result.phases)
          .map(([name, value]) => `${name} ${value}`)
          .join(', '),
      ],
      [
        'memory',
        [
          `gateway ${formatMemory(result.memory.gateway)}`,
          `ledger ${formatMemory(result.memory.ledger)}`,
        ],
      ],
    ]),
    formatCalibration(result.calibration),
    ...result.steps.map((step) => formatStep(step, machine.nproc)),
  ];
  if (result.steps.length > 0) {
    parts.push(
      formatSummary(
        result.steps,
        parameters.latencyTargetMs as number,
        result.highestRateWithinLatencyTarget,
      ) + timesPgbench(result.ratiosToPgbench.highestRateWithinLatencyTarget),
    );
    parts.push(formatCostSummary(result.steps));
  }
  parts.push(formatLogs(result));
  if (result.error) parts.push(`error: ${result.error}`);
  return parts.join('\n\n');
}

function formatLogs(result: ApiBenchResult): string {
  const rows: Row[] = Object.entries(result.logs).map(([service, log]) => {
    const levels = levelCounts(log.linesByLevel);
    const messages = log.messages.map(
      ({ level, message, count }) => `${number(count)} x ${level}: ${message}`,
    );
    return [service, [`lines: ${levels}`, ...messages]];
  });
  return section('Service logs (LOG_LEVEL=warn)', rows.length > 0 ? rows : [['', 'none']]);
}

/** The sweep's chart beside its JSON. */
export async function writeApiChart(
  repoRoot: string,
  result: ApiBenchResult,
  startedAt: Date,
): Promise<string> {
  const file = resultsFile(repoRoot, RESULTS_PREFIX, startedAt, '.svg');
  await writeSweepChart(file, result);
  return file;
}
