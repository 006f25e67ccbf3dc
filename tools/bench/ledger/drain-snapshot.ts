import { BenchDatabase } from '../harness/bench-database';
import { CommandLag, CommandPosition } from '../harness/command-lag';
import { CostSample } from '../harness/cost-table';
import { DatabaseCounters, readDatabaseCounters } from '../harness/database-counters';
import { CpuSample, takeCpuSnapshot } from '../harness/process-cpu';
import { Samples, scrape } from '../harness/prometheus-metrics';
import { StatementCount, StatementCounter } from '../harness/statement-counter';

/** Everything the report compares between the start and the end of the drain. */
export interface Snapshot {
  /** performance.now() when the CPU times were read. */
  at: number;
  /** The ledger, postgres, kafka and `bench`: this process (polling and scraping cost too). */
  cpu: Record<string, CpuSample | null>;
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
    private readonly database: BenchDatabase,
    private readonly metricsUrl: string,
    private readonly pids: ObservedPids,
    private readonly statements: StatementCounter,
  ) {}

  /** CPU first: it is the cheapest to read and the figure most sensitive to timing. */
  async take(): Promise<Snapshot> {
    const { at, samples: cpu } = takeCpuSnapshot({
      services: { ledger: this.pids.ledger },
      postmaster: this.pids.postmaster,
      kafka: this.pids.kafka,
      self: 'bench',
    });
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
