import { canonicalJson } from '@rtp/contracts';
import { OutboxRecord, PublishedPosition, eventMessage } from '@rtp/ledger/application';
import { RowsQuery } from '@rtp/shared/database';

interface OutboxDbRow {
  outbox_id: string;
  source_partition: number;
  topic: string;
  message_key: string;
  message_id: string;
  message_type: string;
  /** The payload as PostgreSQL prints it: published as it is, not parsed and serialised again. */
  payload_json: string;
  traceparent: string | null;
}

interface UnpublishedEventRow {
  event_id: string;
  account_id: string;
  type: string;
  command_id: string;
  correlation_id: string;
  data: Record<string, unknown>;
  recorded_at: Date;
  publication_position: string;
  traceparent: string | null;
}

function toOutboxRecord(row: OutboxDbRow): OutboxRecord {
  return {
    source: 'outbox',
    position: String(row.outbox_id),
    sourcePartition: row.source_partition,
    topic: row.topic,
    key: row.message_key,
    messageId: row.message_id,
    messageType: row.message_type,
    payloadJson: row.payload_json,
    traceparent: row.traceparent,
  };
}

/** Events and outbox rows of the partition not yet published, up to `limit` of each, in order. */
export async function selectUnpublished(
  query: RowsQuery,
  partition: number,
  limit: number,
): Promise<{ records: OutboxRecord[]; more: boolean }> {
  const events = (await query(
    `SELECT event_id, account_id, type, command_id, correlation_id, data, recorded_at, publication_position,
         traceparent
       FROM ledger.events WHERE source_partition = $1 AND publication_position > COALESCE(
         (SELECT events_published_through FROM ledger.outbox_positions WHERE source_partition = $1), 0)
       ORDER BY publication_position LIMIT $2`,
    [partition, limit],
  )) as unknown as UnpublishedEventRow[];
  const outbox = (await query(
    `SELECT outbox_id, source_partition, topic, message_key, message_id, message_type,
         payload::text AS payload_json, payload->>'traceparent' AS traceparent
       FROM ledger.outbox WHERE source_partition = $1 AND (source_partition, outbox_id) > ($1, COALESCE(
         (SELECT published_through FROM ledger.outbox_positions WHERE source_partition = $1), 0))
       ORDER BY source_partition, outbox_id LIMIT $2`,
    [partition, limit],
  )) as unknown as OutboxDbRow[];
  const records = [
    ...events.map((row): OutboxRecord => ({
      // Canonical JSON again: the same bytes as the publication right after the commit.
      ...eventMessage(
        {
          eventId: row.event_id,
          accountId: row.account_id,
          type: row.type,
          commandId: row.command_id,
          correlationId: row.correlation_id,
          dataJson: canonicalJson(row.data),
          traceparent: row.traceparent,
        },
        new Date(row.recorded_at),
      ),
      source: 'event',
      position: String(row.publication_position),
      sourcePartition: partition,
    })),
    ...outbox.map(toOutboxRecord),
  ];
  return { records, more: events.length === limit || outbox.length === limit };
}

/**
 * Rows are taken in partition order: a batch transaction and the worker's statement for idle
 * partitions may record positions at the same time, and must not deadlock.
 */
export async function recordPublished(
  sql: RowsQuery,
  positions: PublishedPosition[],
): Promise<void> {
  if (positions.length === 0) return;
  await sql(
    `INSERT INTO ledger.outbox_positions (source_partition, published_through, events_published_through,
       updated_at)
     SELECT partition, COALESCE(outbox_through, 0), COALESCE(events_through, 0), now()
     FROM unnest($1::integer[], $2::bigint[], $3::bigint[]) AS t(partition, outbox_through, events_through)
     ORDER BY partition
     ON CONFLICT (source_partition) DO UPDATE SET updated_at = now(),
       published_through = GREATEST(ledger.outbox_positions.published_through, EXCLUDED.published_through),
       events_published_through = GREATEST(ledger.outbox_positions.events_published_through,
         EXCLUDED.events_published_through)`,
    [
      positions.map((p) => p.partition),
      positions.map((p) => p.outboxThrough),
      positions.map((p) => p.eventsThrough),
    ],
  );
}
