import { OutboxMessage, OutboxPublication, ResettableProducer } from '@rtp/shared/kafka';
import { LedgerStore, OutboxRecord, PublishedPosition } from '@rtp/ledger/application';

/**
 * The ledger's outbox publication. A partition has one writer, so what it published is a prefix of
 * its events and one of its outbox rows: one published position of each per partition (the mark's
 * key is the partition), recorded with GREATEST, never an update per row. Its sweep (`partition`)
 * runs on acquiring the partition, before its first batch, so nothing newer is published first.
 */
export type LedgerOutbox = OutboxPublication<OutboxRecord, number, number, PublishedPosition>;

/**
 * Records that may wait for the send in flight. The worker waits for each publication before its
 * partitions' next batches, so what waits is the outboxes of the groups committing (bounded by
 * the batch size and the partitions per group); a group beyond it fails after its commit and is
 * published again from the store when its partitions are acquired again.
 */
const QUEUED_RECORDS_MAX = 200_000;
/** An idle partition's published position is recorded at most this long after its publication. */
const PUBLISHED_POSITION_FLUSH_MS = 1_000;
/** Events, and outbox rows, per page of a partition's republication. */
const REPUBLISH_PAGE_LIMIT = 500;

export function ledgerOutbox(
  store: LedgerStore,
  producer: Pick<ResettableProducer, 'publish'>,
  onError: (error: unknown) => void,
): LedgerOutbox {
  return new OutboxPublication({
    store: {
      findUnpublished: async (partition, limit) => {
        const { records, more } = await store.findUnpublished(partition, limit);
        return { rows: records, more };
      },
      recordMarks: (marks) => store.markPublished([...marks.values()]),
    },
    producer,
    messageOf,
    marksOf: publishedPositions,
    mergeMarks: laterPosition,
    queuedRowsMax: QUEUED_RECORDS_MAX,
    recordDelayMsMax: PUBLISHED_POSITION_FLUSH_MS,
    sweepPageLimit: REPUBLISH_PAGE_LIMIT,
    onError,
  });
}

function messageOf(record: OutboxRecord): OutboxMessage {
  return {
    id: `${record.source}:${record.position}`,
    topic: record.topic,
    key: record.key,
    value: Buffer.from(record.payloadJson, 'utf8'),
    messageId: record.messageId,
    messageType: record.messageType,
    traceparent: record.traceparent,
  };
}

/** Records are in publication order per partition and source: the last of each is its position. */
function publishedPositions(records: readonly OutboxRecord[]): Map<number, PublishedPosition> {
  const published = new Map<number, PublishedPosition>();
  for (const { sourcePartition: partition, source, position } of records) {
    let current = published.get(partition);
    if (!current) {
      current = { partition, eventsThrough: null, outboxThrough: null };
      published.set(partition, current);
    }
    if (source === 'event') current.eventsThrough = position;
    else current.outboxThrough = position;
  }
  return published;
}

function laterPosition(one: PublishedPosition, other: PublishedPosition): PublishedPosition {
  return {
    partition: one.partition,
    eventsThrough: later(one.eventsThrough, other.eventsThrough),
    outboxThrough: later(one.outboxThrough, other.outboxThrough),
  };
}

/** The later of two positions; null is no position. */
function later(one: string | null, other: string | null): string | null {
  if (one === null || other === null) return one ?? other;
  return BigInt(one) >= BigInt(other) ? one : other;
}
