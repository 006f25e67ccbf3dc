/** Runs one statement and returns its rows (an INSERT/UPDATE … RETURNING included). */
export type RowsQuery = (sql: string, parameters: unknown[]) => Promise<Record<string, unknown>[]>;

/** A stored position: the next offset to consume and the identity of the message just before it. */
export interface ConsumerPosition {
  nextOffset: bigint;
  lastMessageIdentity: string | null;
}

/** One partition's move from `fromOffset` (the compare-and-set expectation) to `toOffset`. */
export interface PositionAdvance {
  topic: string;
  partition: number;
  fromOffset: bigint;
  toOffset: bigint;
  lastMessageIdentity: string;
}

/**
 * A consumer group's positions kept in the service's own database (`<schema>.consumer_offsets`),
 * written in the same transaction as the effects they cover: the one mechanism every consumer here
 * uses. The compare-and-set on the previous offset fences a former owner that still runs.
 */
export class ConsumerPositions {
  constructor(
    private readonly schema: string,
    private readonly consumerGroup: string,
  ) {}

  /** The stored position, created at offset 0 on first use. */
  async acquire(query: RowsQuery, topic: string, partition: number): Promise<ConsumerPosition> {
    const [row] = await query(
      `INSERT INTO ${this.schema}.consumer_offsets (consumer_group, topic, partition, next_offset, updated_at)
       VALUES ($1, $2, $3, 0, now())
       ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET consumer_group = EXCLUDED.consumer_group
       RETURNING next_offset, last_message_identity`,
      [this.consumerGroup, topic, partition],
    );
    return {
      nextOffset: BigInt(String(row.next_offset)),
      lastMessageIdentity: (row.last_message_identity as string | null) ?? null,
    };
  }

  /**
   * Advances every partition in one statement; returns the partitions that were fenced. The rows are
   * locked first, in (topic, partition) order: an UPDATE … FROM takes them in whatever order its join
   * produces, so two owners of overlapping partitions (a former owner still running) could deadlock
   * instead of one of them being fenced.
   */
  async advance(query: RowsQuery, advances: PositionAdvance[], at: Date): Promise<number[]> {
    if (advances.length === 0) return [];
    const rows = await query(
      `WITH v AS (SELECT * FROM unnest($2::text[], $3::integer[], $4::bigint[], $5::bigint[], $7::text[])
           AS v(topic, partition, from_offset, to_offset, identity)),
         locked AS MATERIALIZED (SELECT o.topic, o.partition FROM ${this.schema}.consumer_offsets o
           WHERE o.consumer_group = $1 AND (o.topic, o.partition) IN (SELECT topic, partition FROM v)
           ORDER BY o.topic, o.partition FOR UPDATE)
       UPDATE ${this.schema}.consumer_offsets o SET next_offset = v.to_offset, updated_at = $6,
         last_message_identity = v.identity
       FROM v JOIN locked USING (topic, partition)
       WHERE o.consumer_group = $1 AND o.topic = v.topic AND o.partition = v.partition
         AND o.next_offset = v.from_offset
       RETURNING o.partition`,
      [
        this.consumerGroup,
        advances.map((a) => a.topic),
        advances.map((a) => a.partition),
        advances.map((a) => a.fromOffset.toString()),
        advances.map((a) => a.toOffset.toString()),
        at,
        advances.map((a) => a.lastMessageIdentity),
      ],
    );
    const moved = new Set(rows.map((row) => Number(row.partition)));
    return advances.map((a) => a.partition).filter((partition) => !moved.has(partition));
  }
}

/** A RowsQuery on a TypeORM query runner or entity manager (structured result for RETURNING). */
export function rowsQueryOf(runner: {
  query: (sql: string, parameters: unknown[], structured: true) => Promise<{ records: unknown[] }>;
}): RowsQuery {
  return async (sql, parameters) =>
    (await runner.query(sql, parameters, true)).records as Record<string, unknown>[];
}
