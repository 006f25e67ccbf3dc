import { performance } from 'node:perf_hooks';
import { OpenLoopLoad } from './open-loop-load';
import { PipelineBacklog, PipelineProbe } from './pipeline-probe';
import {
  CpuSnapshot,
  ObservedPids,
  PROCESS_NAMES,
  ProcessName,
  stepCpuBetween,
  takeStepCpu,
} from './process-usage';

/** One second of a step, for the JSON's timeline and the live progress lines. */
export interface TimelinePoint {
  second: number;
  sent: number;
  answered: number;
  confirmed: number;
  dropped: number;
  outstanding: number;
  cpuPercentOfOneCore: Record<ProcessName, number | null>;
  /** Read asynchronously; null when the previous read had not finished. */
  backlog: PipelineBacklog | null;
}

const INTERVAL_MS = 1_000;
const PROGRESS_EVERY_SECONDS = 5;

/** Samples CPU, counters and backlogs once a second while a step runs. */
export class StepMonitor {
  readonly timeline: TimelinePoint[] = [];
  private timer: NodeJS.Timeout | null = null;
  private previous: CpuSnapshot | null = null;
  private probing = false;
  private startedAt = 0;

  constructor(
    private readonly load: OpenLoopLoad,
    private readonly pids: ObservedPids,
    private readonly probe: PipelineProbe,
    private readonly log: (message: string) => void,
  ) {}

  start(): void {
    this.startedAt = performance.now();
    this.previous = takeStepCpu(this.pids);
    this.timer = setInterval(() => this.sample(), INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private sample(): void {
    const cpu = takeStepCpu(this.pids);
    const used = stepCpuBetween(this.previous ?? cpu, cpu);
    this.previous = cpu;
    const load = this.load;
    const point: TimelinePoint = {
      second: Math.round((cpu.at - this.startedAt) / 1_000),
      sent: load.sent,
      answered: load.answered.count,
      confirmed: load.confirmed.count,
      dropped: load.counts.dropped,
      outstanding: load.outstanding,
      cpuPercentOfOneCore: Object.fromEntries(
        PROCESS_NAMES.map((name) => [name, used[name]?.percentOfOneCore ?? null]),
      ) as Record<ProcessName, number | null>,
      backlog: null,
    };
    this.timeline.push(point);
    if (!this.probing) {
      this.probing = true;
      this.probe
        .backlog()
        .then(
          (backlog) => {
            point.backlog = backlog;
          },
          () => undefined,
        )
        .finally(() => {
          this.probing = false;
          if (point.second % PROGRESS_EVERY_SECONDS === 0) this.progress(point);
        });
    }
  }

  private progress(point: TimelinePoint): void {
    const cpu = PROCESS_NAMES.map(
      (name) => `${name} ${point.cpuPercentOfOneCore[name] ?? 'n/a'}%`,
    ).join(', ');
    const backlog = point.backlog
      ? `backlog: gateway outbox ${point.backlog.gatewayOutbox}, ledger commands ` +
        `${point.backlog.ledgerCommandLag}, ledger outbox ${point.backlog.ledgerOutbox}, ` +
        `projection ${point.backlog.projectionLag}`
      : 'backlog n/a';
    this.log(
      `t=${point.second}s sent ${point.sent}, answered ${point.answered} ` +
        `(201: ${point.confirmed}), outstanding ${point.outstanding}, dropped ${point.dropped}; ` +
        `${backlog}; cpu ${cpu}`,
    );
  }
}
