import { BatchWrite } from '@rtp/ledger/application';

/** Several partitions' writes as one, each row keeping the partition it belongs to. */
export interface MergedWrite extends Omit<
  BatchWrite,
  'partition' | 'fromOffset' | 'toOffset' | 'lastMessageIdentity' | 'published'
> {
  accountPartitions: number[];
  eventPartitions: number[];
  processedPartitions: number[];
  outboxPartitions: number[];
}

export function mergeWrites(writes: BatchWrite[]): MergedWrite {
  const all = <T>(pick: (write: BatchWrite) => T[]) => writes.flatMap(pick);
  const partitionsOf = (pick: (write: BatchWrite) => unknown[]) =>
    writes.flatMap((write) => pick(write).map(() => write.partition));
  return {
    consumerGroup: writes[0].consumerGroup,
    topic: writes[0].topic,
    recordedAt: writes[0].recordedAt,
    accounts: all((w) => w.accounts),
    events: all((w) => w.events),
    journals: all((w) => w.journals),
    entries: all((w) => w.entries),
    holds: all((w) => w.holds),
    holdOutcomes: all((w) => w.holdOutcomes),
    processed: all((w) => w.processed),
    outbox: all((w) => w.outbox),
    accountPartitions: partitionsOf((w) => w.accounts),
    eventPartitions: partitionsOf((w) => w.events),
    processedPartitions: partitionsOf((w) => w.processed),
    outboxPartitions: partitionsOf((w) => w.outbox),
  };
}
