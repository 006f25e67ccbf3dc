import { performance } from 'node:perf_hooks';
import { CostSample } from './cost-table';
import { CommandLag, CommandPosition } from './command-lag';
import { DatabaseCounters, readDatabaseCounters } from './database-counters';
import { LedgerDatabase } from './ledger-database';
import { CpuSample, processCpu, processTreeCpu } from './process-cpu';
import { Samples, scrape } from './prometheus-metrics';
import { StatementCount, StatementCounter } from './statement-counter';

export interface CpuSnapshot {
  ledger: CpuSample;
  postgres: CpuSample | null;
  kafka: CpuSample | null;
  /** This process: polling and scraping cost something too. */
  bench: CpuSample;
}

/** Everything the report compares between the start and the end of the drain. */
export interface Snapshot {
  /** performance.now() when the CPU times were read. */
  at: number;
  cpu: CpuSnapshot;
  position: CommandPosition;
  /** Empty when the ledger no longer answers. */
  metrics: Samples;
  database: DatabaseCounters;
  statements: StatementCount | null;
}

export interface ObservedPids {
  ledger: number;
  postmaster: number | null;
  kafka: number | null;
}

export class SnapshotTaker {
  constructor(
    private readonly lag: CommandLag,
    private readonly database: LedgerDatabase,
    private readonly metricsUrl: string,
    private readonly pids: ObservedPids,
    private readonly statements: StatementCounter,
  ) {}

  /** CPU first: it is the cheapest to read and the figure most sensitive to timing. */
  async take(): Promise<Snapshot> {
    const at = performance.now();
    const cpu = {
      ledger: processCpu(this.pids.ledger),
      postgres: this.pids.postmaster === null ? null : processTreeCpu(this.pids.postmaster),
      kafka: this.pids.kafka === null ? null : processCpu(this.pids.kafka),
      bench: benchCpu(),
    };
    const [metrics, position, database, statements] = await Promise.all([
      scrape(this.metricsUrl).catch((): Samples => new Map()),
      this.lag.position(),
      readDatabaseCounters(this.database),
      this.statements.read(),
    ]);
    return { at, cpu, position, metrics, database, statements };
  }
}

/** The snapshot as the cost table reads it. */
export function costSample(snapshot: Snapshot): CostSample {
  const { at, cpu, database, statements } = snapshot;
  return { at, cpu: { ...cpu }, database, statements };
}

function benchCpu(): CpuSample {
  const usage = process.cpuUsage();
  return { seconds: (usage.user + usage.system) / 1_000_000, processes: 1 };
}
