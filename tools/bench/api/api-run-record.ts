import { ratioToPgbench } from '../harness/pgbench-calibration';
import { ProcessMemory } from '../harness/process-memory';
import { RunRecord, RunResult, infrastructureParameters } from '../harness/run-record';
import { ServiceLogSummary, summariseServiceLog } from '../harness/service-log';
import { ServiceSettings, serviceSettingsOf } from '../harness/service-settings';
import { ApiBenchConfig } from './api-bench-config';
import { StepResult } from './step-figures';

/** The figures of one run, as printed and as written to results/api-bench-<time>.json. */
export interface ApiBenchResult extends RunResult<'api', 'completed' | 'failed' | 'interrupted'> {
  serviceSettings: Record<string, Record<string, string>>;
  steps: StepResult[];
  /** The highest intended rate whose p99 over all requests met the target; null if none did. */
  highestRateWithinLatencyTarget: number | null;
  /** The run's figures divided by pgbench's tps (each step has its own too). */
  ratiosToPgbench: { highestRateWithinLatencyTarget: number | null };
  /** The services' resident memory at the end of the run (peak: VmHWM). */
  memory: { gateway: ProcessMemory | null; ledger: ProcessMemory | null };
  logs: Record<string, ServiceLogSummary>;
}

/** results/api-bench-<time>.json, .svg and the services' logs beside them. */
export const RESULTS_PREFIX = 'api-bench';

/** The gateway's and the ledger's effective settings; a wrong one is a UsageError. */
export function apiServiceSettings(
  env: Record<string, string | undefined>,
): ServiceSettings<'gateway' | 'ledger'> {
  return serviceSettingsOf(env, ['gateway', 'ledger'], 'settings');
}

/** What a run has learnt so far: filled in phase by phase, reported even when a phase failed. */
export class ApiRunRecord extends RunRecord<ApiBenchResult['status']> {
  steps: StepResult[] = [];
  memory: ApiBenchResult['memory'] = { gateway: null, ledger: null };
  logFiles: Record<string, string> = {};

  constructor(
    private readonly config: ApiBenchConfig,
    readonly serviceSettings: ServiceSettings<'gateway' | 'ledger'>,
  ) {
    super('failed', {
      '@nestjs/core': '@nestjs/core',
      fastify: 'fastify',
      kafkajs: 'kafkajs',
      pg: 'pg',
      undici: 'undici (load generator)',
    });
  }

  /** Call once the services have stopped, so that their logs are complete. */
  toResult(): ApiBenchResult {
    const config = this.config;
    const within = this.steps
      .filter((step) => step.withinLatencyTarget)
      .map((step) => step.intendedRatePerSecond);
    const highest = within.length > 0 ? Math.max(...within) : null;
    return {
      benchmark: 'api',
      status: this.status,
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      parameters: {
        ratesPerSecond: config.ratesPerSecond,
        durationSeconds: config.durationMs / 1_000,
        connections: config.connections,
        accounts: config.accounts,
        clients: config.clients,
        outstandingMax: config.outstandingMax,
        requestTimeoutSeconds: config.requestTimeoutMs / 1_000,
        latencyTargetMs: config.latencyTargetMs,
        calibrationSeconds: config.calibrationSeconds,
        payment:
          'POST /v1/payments, 1-100 EUR cents between two random accounts of one client, ' +
          'fresh Idempotency-Key, no Prefer header (the default wait)',
        infrastructure: infrastructureParameters(config),
      },
      machine: this.machine,
      versions: this.versions,
      postgresSettings: this.postgresSettings,
      serviceSettings: this.serviceSettings,
      phases: this.roundedPhases(),
      calibration: this.calibration,
      steps: this.steps,
      highestRateWithinLatencyTarget: highest,
      ratiosToPgbench: {
        highestRateWithinLatencyTarget: ratioToPgbench(this.calibration, highest),
      },
      memory: this.memory,
      logs: Object.fromEntries(
        Object.entries(this.logFiles).map(([service, file]) => [
          service,
          summariseServiceLog(file),
        ]),
      ),
      error: this.error,
    };
  }
}
