import { RowsQuery } from '@rtp/shared/database';
import { OutboxRecord, eventMessage } from '@rtp/ledger/application';
import { MergedWrite } from './merged-write';

/**
 * The events, each with the next publication position in decision order: the rows themselves are
 * what gets published (see eventMessage), so no copy of them goes to the outbox.
 */
export async function writeEvents(sql: RowsQuery, write: MergedWrite): Promise<OutboxRecord[]> {
  if (write.events.length === 0) return [];
  const e = write.events;
  const rows = await sql(
    `INSERT INTO ledger.events (event_id, account_id, sequence, type, command_id, correlation_id, data,
       hash, source_partition, recorded_at, publication_position, traceparent)
     SELECT event_id, account_id, sequence, type, command_id, correlation_id, data, hash, source_partition,
       $10::timestamptz, nextval('ledger.event_publication_positions'), traceparent
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
       $8::text[], $9::integer[], $11::text[]) WITH ORDINALITY AS t(event_id, account_id, sequence, type,
       command_id, correlation_id, data, hash, source_partition, traceparent, ord)
     ORDER BY ord
     RETURNING event_id, publication_position`,
    [
      e.map((x) => x.eventId),
      e.map((x) => x.accountId),
      e.map((x) => x.sequence),
      e.map((x) => x.type),
      e.map((x) => x.commandId),
      e.map((x) => x.correlationId),
      e.map((x) => x.dataJson),
      e.map((x) => x.hash),
      write.eventPartitions,
      write.recordedAt,
      e.map((x) => x.traceparent ?? null),
    ],
  );
  const positions = new Map(
    rows.map((row) => [String(row.event_id), String(row.publication_position)]),
  );
  return e
    .map((event, index) => ({
      ...eventMessage(event, write.recordedAt),
      source: 'event' as const,
      position: positions.get(event.eventId)!,
      sourcePartition: write.eventPartitions[index],
    }))
    .sort((x, y) => Number(BigInt(x.position) - BigInt(y.position)));
}

/**
 * The rows inserted (a message id stored already is skipped) come back as ids only: what gets
 * published is the rows in hand, with their payload serialised once.
 */
export async function writeOutbox(sql: RowsQuery, write: MergedWrite): Promise<OutboxRecord[]> {
  if (write.outbox.length === 0) return [];
  const o = write.outbox;
  const rows = await sql(
    `INSERT INTO ledger.outbox (topic, message_key, message_id, message_type, payload, source_partition,
       created_at)
     SELECT topic, message_key, message_id, message_type, payload, source_partition, $7::timestamptz
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::integer[])
       WITH ORDINALITY AS t(topic, message_key, message_id, message_type, payload, source_partition, ord)
     ORDER BY ord
     ON CONFLICT (message_id) DO NOTHING
     RETURNING outbox_id, message_id`,
    [
      o.map((x) => x.topic),
      o.map((x) => x.key),
      o.map((x) => x.messageId),
      o.map((x) => x.messageType),
      o.map((x) => x.payloadJson),
      write.outboxPartitions,
      write.recordedAt,
    ],
  );
  const inserted = new Map(rows.map((row) => [String(row.message_id), String(row.outbox_id)]));
  const records: OutboxRecord[] = [];
  for (const [index, row] of o.entries()) {
    const position = inserted.get(row.messageId);
    if (position === undefined) continue;
    // A message id given twice is inserted once.
    inserted.delete(row.messageId);
    records.push({
      ...row,
      source: 'outbox',
      position,
      sourcePartition: write.outboxPartitions[index],
    });
  }
  return records.sort((x, y) => Number(BigInt(x.position) - BigInt(y.position)));
}
