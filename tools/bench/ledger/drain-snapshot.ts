import { BenchDatabase } from '../harness/bench-database';
import { CommandLag, CommandPosition } from '../harness/command-lag';
import { CostSample } from '../harness/cost-table';
import { DatabaseCounters, readDatabaseCounters } from '../harness/database-counters';
import { CpuSample, processCpu, takeCpuSnapshot } from '../harness/process-cpu';
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
  /** Every ledger process of the drain (its consumer group): their CPU is summed as `ledger`. */
  ledgers: number[];
  postmaster: number | null;
  kafka: number | null;
}

export class SnapshotTaker {
  constructor(
    private readonly lag: CommandLag,
    private readonly database: BenchDatabase,
    /** Every ledger's /metrics: the samples are summed (counters and histogram buckets add up). */
    private readonly metricsUrls: string[],
    private readonly pids: ObservedPids,
    private readonly statements: StatementCounter,
  ) {}

  /** CPU first: it is the cheapest to read and the figure most sensitive to timing. */
  async take(): Promise<Snapshot> {
    const { at, samples: cpu } = takeCpuSnapshot({
      services: {},
      postmaster: this.pids.postmaster,
      kafka: this.pids.kafka,
      self: 'bench',
    });
    cpu.ledger = sumCpu(this.pids.ledgers.map((pid) => processCpu(pid)));
    const [metrics, position, database, statements] = await Promise.all([
      scrapeAll(this.metricsUrls),
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

function sumCpu(samples: CpuSample[]): CpuSample {
  return samples.reduce(
    (sum, sample) => ({
      seconds: sum.seconds + sample.seconds,
      processes: sum.processes + sample.processes,
    }),
    { seconds: 0, processes: 0 },
  );
}

/** The ledgers' samples added up; a ledger that no longer answers contributes nothing. */
async function scrapeAll(urls: string[]): Promise<Samples> {
  const scrapes = await Promise.all(urls.map((url) => scrape(url).catch((): Samples => new Map())));
  const summed: Samples = new Map();
  for (const samples of scrapes) {
    for (const [series, value] of samples) summed.set(series, (summed.get(series) ?? 0) + value);
  }
  return summed;
}
