import { AccountState, SettledPayout } from '@rtp/ledger/domain';
import {
  BatchWrite,
  EventRow,
  LedgerStore,
  OutboxRecord,
  PartitionFencedError,
  PublishedPosition,
  StoredOffset,
} from './ledger-store.port';

/**
 * The ledger store in memory, for the handler's unit tests: the same contract as the PostgreSQL
 * store (a group commits whole or not at all; a partition whose stored offset is not the batch's
 * `fromOffset` is fenced and nothing is written), without a database.
 */
export class InMemoryLedgerStore implements LedgerStore {
  readonly accounts = new Map<string, { account: AccountState; partition: number }>();
  readonly events: EventRow[] = [];
  readonly offsets = new Map<number, bigint>();
  private readonly processed = new Set<string>();
  private readonly holds = new Map<string, SettledPayout>();
  private readonly settled = new Set<string>();
  private position = 0;

  async acquirePartition(_group: string, _topic: string, partition: number): Promise<StoredOffset> {
    return { nextOffset: this.offsets.get(partition) ?? 0n, lastMessageIdentity: null };
  }

  async loadAccounts(accountIds: string[]): Promise<AccountState[]> {
    return accountIds.flatMap((id) => {
      const stored = this.accounts.get(id);
      return stored ? [copy(stored.account)] : [];
    });
  }

  async loadSystemAccounts(partition: number): Promise<AccountState[]> {
    return [...this.accounts.values()]
      .filter((stored) => stored.partition === partition && stored.account.kind !== 'customer')
      .map((stored) => copy(stored.account));
  }

  async findProcessedCommandIds(commandIds: string[]): Promise<Set<string>> {
    return new Set(commandIds.filter((id) => this.processed.has(id)));
  }

  async findSettledPayouts(paymentIds: string[]): Promise<SettledPayout[]> {
    return paymentIds.flatMap((id) => {
      const hold = this.holds.get(id);
      return hold && this.settled.has(id) ? [{ ...hold }] : [];
    });
  }

  async commitBatches(writes: BatchWrite[]): Promise<OutboxRecord[][]> {
    const fenced = writes
      .filter((write) => (this.offsets.get(write.partition) ?? 0n) !== write.fromOffset)
      .map((write) => write.partition);
    if (fenced.length > 0) throw new PartitionFencedError(writes[0].topic, fenced);
    const ids = writes.flatMap((write) => write.processed.map((row) => row.commandId));
    const twice = ids.find((id, index) => this.processed.has(id) || ids.indexOf(id) !== index);
    // The processed-command primary key: a second effect of one command never commits.
    if (twice) throw Object.assign(new Error(`duplicate key ${twice}`), { code: '23505' });
    return writes.map((write) => {
      this.offsets.set(write.partition, write.toOffset);
      for (const account of write.accounts) {
        this.accounts.set(account.accountId, {
          account: copy(account),
          partition: write.partition,
        });
      }
      for (const row of write.processed) this.processed.add(row.commandId);
      for (const hold of write.holds)
        this.holds.set(hold.holdId, { paymentId: hold.holdId, ...hold });
      for (const outcome of write.holdOutcomes) {
        if (outcome.outcome === 'settled') this.settled.add(outcome.holdId);
      }
      this.events.push(...write.events);
      const events = write.events.map((event): OutboxRecord => ({
        source: 'event',
        position: String(++this.position),
        sourcePartition: write.partition,
        topic: 'ledger.events.v1',
        key: event.accountId,
        messageId: event.eventId,
        messageType: event.type,
        payloadJson: event.dataJson,
      }));
      const outbox = write.outbox.map((row): OutboxRecord => ({
        ...row,
        source: 'outbox',
        position: String(++this.position),
        sourcePartition: write.partition,
      }));
      return [...events, ...outbox];
    });
  }

  async findUnpublished(): Promise<{ records: OutboxRecord[]; more: boolean }> {
    return { records: [], more: false };
  }

  async markPublished(_positions: PublishedPosition[]): Promise<void> {
    // Publication is not part of what the handler's tests look at.
  }

  balanceOf(accountId: string): { posted: bigint; pending: bigint } | undefined {
    const stored = this.accounts.get(accountId)?.account;
    return stored && { posted: stored.postedMinor, pending: stored.pendingMinor };
  }
}

function copy(account: AccountState): AccountState {
  return { ...account, holds: new Map(account.holds) };
}
