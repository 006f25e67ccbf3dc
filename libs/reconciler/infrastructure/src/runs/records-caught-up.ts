import { Admin } from 'kafkajs';
import { DataSource } from 'typeorm';
import { CONSUMER_GROUPS, TOPICS } from '@rtp/contracts';

/** The topics our side's records are folded from: a run must not start behind them. */
const RECORD_TOPICS = [TOPICS.ledgerEvents, TOPICS.partnerEvents];

/** `topic:partition` to an offset. */
export type Offsets = Map<string, bigint>;

/**
 * The end offsets of the ledger's and the adapter's events now: the records a run waits for. A
 * run that started behind them would call a bank entry of a payout whose PayoutReserved the
 * reconciler has not read yet "missing in the ledger" (after a restart, or a fresh consumer group
 * starting at the beginning of the topics). A snapshot, not the moving end: under steady traffic
 * the positions reach it soon, where they might never be at the end itself.
 */
export async function recordTopicEnds(admin: Admin): Promise<Offsets> {
  const ends: Offsets = new Map();
  for (const topic of RECORD_TOPICS) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
      ends.set(`${topic}:${partition}`, BigInt(high));
    }
  }
  return ends;
}

/**
 * How many messages the reconciler's stored positions are behind `target` (0: caught up). The
 * positions are the work's own (stored with it), so every replica sees every partition's.
 */
export async function recordsBehind(dataSource: DataSource, target: Offsets): Promise<bigint> {
  const stored = (await dataSource.query(
    `SELECT topic, partition, next_offset FROM reconciler.consumer_offsets
     WHERE consumer_group = $1 AND topic = ANY($2::text[])`,
    [CONSUMER_GROUPS.reconciler, RECORD_TOPICS],
  )) as { topic: string; partition: number; next_offset: string }[];
  const position = new Map(
    stored.map((row) => [`${row.topic}:${row.partition}`, BigInt(row.next_offset)]),
  );
  let behind = 0n;
  for (const [key, end] of target) {
    const next = position.get(key) ?? 0n;
    if (end > next) behind += end - next;
  }
  return behind;
}

/** Whether any run is waiting to be made (checked before asking Kafka for its offsets). */
export async function runsWaiting(dataSource: DataSource): Promise<boolean> {
  const rows = (await dataSource.query(
    'SELECT 1 FROM reconciler.run_requests WHERE done_at IS NULL LIMIT 1',
  )) as unknown[];
  return rows.length > 0;
}
