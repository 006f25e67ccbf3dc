import { Admin } from 'kafkajs';
import { CONSUMER_GROUPS, TOPICS } from '@rtp/contracts';
import { CommandLag } from '../harness/command-lag';
import { BenchDatabase } from '../harness/bench-database';

/** Where work is queued between the gateway's answer and the next stage, at one instant. */
export interface PipelineBacklog {
  /** Payments accepted by the gateway but not yet handed to Kafka. */
  gatewayOutbox: number;
  /** Commands in `ledger.commands.v1` the ledger has not durably processed. */
  ledgerCommandLag: number;
  /** Ledger events stored but not yet published to `ledger.events.v1`. */
  ledgerOutbox: number;
  /** Events in `ledger.events.v1` the gateway's projection has not applied. */
  projectionLag: number;
}

export function backlogTotal(backlog: PipelineBacklog): number {
  return (
    backlog.gatewayOutbox + backlog.ledgerCommandLag + backlog.ledgerOutbox + backlog.projectionLag
  );
}

/**
 * Reads the backlogs with the database's login user (which owns both schemas) and the Kafka
 * admin client: offsets stored with the effects compared with the topics' end offsets.
 */
export class PipelineProbe {
  private readonly commandLag: CommandLag;

  constructor(
    private readonly admin: Admin,
    private readonly database: BenchDatabase,
    ledgerConsumerGroup: string,
  ) {
    this.commandLag = new CommandLag(admin, database, ledgerConsumerGroup, TOPICS.ledgerCommands);
  }

  async backlog(): Promise<PipelineBacklog> {
    const [commands, ledgerOutbox, gatewayOutbox, projectionLag] = await Promise.all([
      this.commandLag.position(),
      this.database.unpublishedOutbox(),
      this.gatewayOutbox(),
      this.projectionLag(),
    ]);
    return {
      gatewayOutbox,
      ledgerCommandLag: Number(commands.lag),
      ledgerOutbox,
      projectionLag,
    };
  }

  private async gatewayOutbox(): Promise<number> {
    const [row] = await this.database.rows<{ count: number }>(
      'SELECT count(*)::int AS count FROM gateway.outbox WHERE published_at IS NULL',
    );
    return row.count;
  }

  private async projectionLag(): Promise<number> {
    // Stored offsets first, for the same reason as CommandLag.position().
    const rows = await this.database.rows<{ partition: number; next_offset: string }>(
      `SELECT partition, next_offset FROM gateway.consumer_offsets
       WHERE consumer_group = $1 AND topic = $2`,
      [CONSUMER_GROUPS.gatewayProjections, TOPICS.ledgerEvents],
    );
    const stored = new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
    let lag = 0n;
    for (const { partition, high } of await this.admin.fetchTopicOffsets(TOPICS.ledgerEvents)) {
      const next = stored.get(partition) ?? 0n;
      if (BigInt(high) > next) lag += BigInt(high) - next;
    }
    return Number(lag);
  }
}
