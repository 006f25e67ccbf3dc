import { Admin } from 'kafkajs';
import { BenchDatabase } from './bench-database';

export interface CommandPosition {
  /** Sum over partitions of the next offset the ledger stored with its effects. */
  consumed: bigint;
  /** Sum over partitions of the topic's end offsets. */
  end: bigint;
  /** Messages appended but not yet durably processed. */
  lag: bigint;
}

/** Compares the offsets the ledger committed in PostgreSQL with the topic's end offsets. */
export class CommandLag {
  constructor(
    private readonly admin: Admin,
    private readonly database: BenchDatabase,
    private readonly consumerGroup: string,
    private readonly topic: string,
  ) {}

  async position(): Promise<CommandPosition> {
    // Stored offsets first: read the other way round, a batch committed in between could look
    // like it ran ahead of the end offsets.
    const stored = await this.database.storedOffsets(this.consumerGroup, this.topic);
    const ends = await this.admin.fetchTopicOffsets(this.topic);
    let consumed = 0n;
    let end = 0n;
    let lag = 0n;
    for (const { partition, high } of ends) {
      const next = stored.get(partition) ?? 0n;
      const last = BigInt(high);
      consumed += next;
      end += last;
      if (last > next) lag += last - next;
    }
    return { consumed, end, lag };
  }
}
