import { AccountState, SettledPayout } from '@rtp/ledger/domain';

export interface EventRow {
  eventId: string;
  accountId: string;
  sequence: number | null;
  /** Hash-chain link; null for events outside any account stream. */
  hash: string | null;
  type: string;
  commandId: string;
  correlationId: string;
  /** The event's data serialised once, as canonical JSON: the hash's input, the row, the message. */
  dataJson: string;
  /** The W3C trace context of the command that decided it (outside the hash: not the ledger's fact). */
  traceparent?: string | null;
}

export interface EntryRow {
  journalId: string;
  accountId: string;
  currency: string;
  amountMinor: bigint;
}

export interface HoldRow {
  holdId: string;
  accountId: string;
  amountMinor: bigint;
  currency: string;
  partnerId: string;
}

export interface HoldOutcomeRow {
  holdId: string;
  outcome: 'settled' | 'released';
}

export interface OutboxRow {
  topic: string;
  key: string;
  messageId: string;
  messageType: string;
  /** The message's JSON, serialised once: the row's value and the published message's bytes. */
  payloadJson: string;
  /** The trace context inside payloadJson, for the Kafka header without parsing it again. */
  traceparent?: string | null;
}

/** A message to publish: an event row (published as it is) or an outbox row (follow-ups, dead letters). */
export interface OutboxRecord extends OutboxRow {
  source: 'event' | 'outbox';
  /** Its place in the partition's publication order of its source: publication position or outbox id. */
  position: string;
  /** The command partition whose batch wrote it: publication is ordered and tracked per partition. */
  sourcePartition: number;
}

/** How far a partition's events and outbox rows are published (null: unchanged). */
export interface PublishedPosition {
  partition: number;
  eventsThrough: string | null;
  outboxThrough: string | null;
}

export interface ProcessedCommandRow {
  commandId: string;
  commandType: string;
  kafkaOffset: bigint;
  outcome: string;
}

/** Everything one batch changes, written in one transaction with the offset compare-and-set. */
export interface BatchWrite {
  consumerGroup: string;
  topic: string;
  partition: number;
  fromOffset: bigint;
  toOffset: bigint;
  /** Identity of the batch's last message, stored with toOffset to recognise the log later. */
  lastMessageIdentity: string;
  /** What the partition published since its position was last recorded: recorded with this batch. */
  published: PublishedPosition | null;
  recordedAt: Date;
  accounts: AccountState[];
  events: EventRow[];
  journals: { journalId: string; commandId: string; currency: string }[];
  entries: EntryRow[];
  holds: HoldRow[];
  holdOutcomes: HoldOutcomeRow[];
  processed: ProcessedCommandRow[];
  outbox: OutboxRow[];
}

/**
 * Another consumer moved these partitions' stored offsets: this one is a zombie for them and must
 * stop; nothing of the transaction was written. `fencedPartitions` tells the runner which to drop.
 */
export class PartitionFencedError extends Error {
  constructor(
    topic: string,
    readonly fencedPartitions: number[],
  ) {
    super(`${topic}[${fencedPartitions.join(', ')}] fenced: the stored offset moved on`);
    this.name = 'PartitionFencedError';
  }
}

/** A partition's stored position: the next offset and the identity of the message before it. */
export interface StoredOffset {
  nextOffset: bigint;
  lastMessageIdentity: string | null;
}

/** The ledger's store, as the batch handler needs it. */
export interface LedgerStore {
  acquirePartition(consumerGroup: string, topic: string, partition: number): Promise<StoredOffset>;
  loadAccounts(accountIds: string[]): Promise<AccountState[]>;
  loadSystemAccounts(partition: number): Promise<AccountState[]>;
  findProcessedCommandIds(commandIds: string[]): Promise<Set<string>>;
  /** The payouts of these ids whose hold was settled (asked only for a batch's returns). */
  findSettledPayouts(paymentIds: string[]): Promise<SettledPayout[]>;
  /**
   * Writes several partitions' batches in one transaction, each with its offset compare-and-set;
   * throws PartitionFencedError naming every fenced partition, and then nothing is written.
   * Returns each write's outbox rows, in commit order, in the order of `writes`.
   */
  commitBatches(writes: BatchWrite[]): Promise<OutboxRecord[][]>;
  /** Events and outbox rows of the partition not yet published, up to `limit` of each, in order. */
  findUnpublished(
    partition: number,
    limit: number,
  ): Promise<{ records: OutboxRecord[]; more: boolean }>;
  /** Records how far each partition's events and outbox rows are published. */
  markPublished(positions: PublishedPosition[]): Promise<void>;
}
