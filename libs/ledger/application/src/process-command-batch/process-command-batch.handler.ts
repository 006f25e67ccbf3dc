import { LedgerCommand, TOPICS } from '@rtp/contracts';
import {
  AccountKind,
  AccountState,
  Decision,
  SettledPayout,
  decide,
  decideRejection,
  newSystemAccount,
} from '@rtp/ledger/domain';
import { deadLetterMessage } from './batch-messages';
import {
  Accepted,
  BatchResult,
  CommandBatch,
  CommandMessage,
  Undecodable,
  accountsOf,
  parseCommandMessage,
} from './command-batch';
import { BatchWrite, LedgerStore } from './ledger-store.port';
import { PartitionCache } from './partition-cache';
import { recordDecision } from './record-decision';

export type { BatchResult, CommandBatch, CommandMessage } from './command-batch';

/** Replaces the decider for a command refused whole (see `reject`). */
type DecisionOverride = (command: LedgerCommand) => Decision;

/**
 * Applies one batch of one partition's commands: decode, dedupe, decide against the in-memory
 * accounts, and write every effect plus the new offset in a single transaction.
 */
export class ProcessCommandBatchHandler {
  private readonly caches = new Map<number, PartitionCache>();
  /**
   * Each message decoded and validated once, however often its batch is tried: a group that failed
   * is tried again batch by batch, a fenced group again without the fenced partitions, and a batch
   * failing permanently is split in halves, all with the same message objects.
   */
  private readonly parsed = new WeakMap<CommandMessage, Accepted | Undecodable>();
  /** The commit in flight of each partition (groups commit two at a time, consumers share this). */
  private readonly committing = new Map<number, Promise<unknown>>();

  constructor(
    private readonly store: LedgerStore,
    private readonly consumerGroup: string,
    private readonly now: () => Date,
    /** Customer accounts held in memory by this process, shared out over the partitions it owns. */
    private readonly accountsCachedMax: number = 200_000,
    private readonly onEvicted: (count: number) => void = () => undefined,
  ) {}

  /** Accounts (system accounts included) held in memory now, over every partition this process owns. */
  get accountsCached(): number {
    let total = 0;
    for (const cache of this.caches.values()) total += cache.size;
    return total;
  }

  release(partition: number): void {
    this.caches.delete(partition);
  }

  /**
   * Several partitions' batches in one transaction (each partition's offset compare-and-set in it),
   * so that at low per-partition rates a commit still carries many commands.
   */
  handleMany(batches: CommandBatch[]): Promise<BatchResult[]> {
    return this.commit(batches, null);
  }

  /**
   * Refuses every command of the batch with `processing_failed`, by the rejection event its clients
   * wait for: used for a command isolated as the cause of a permanent batch failure.
   */
  async reject(batch: CommandBatch): Promise<BatchResult> {
    const [result] = await this.commit([batch], (command) =>
      decideRejection(command, 'processing_failed'),
    );
    return result;
  }

  /**
   * Dedupes the whole group with one lookup: each partition's previous batch has committed by now
   * (its next one waits for it), and a command given twice within the group is applied once.
   * On any failure every partition of the group rebuilds its accounts from the database next time.
   */
  private async commit(
    batches: CommandBatch[],
    override: DecisionOverride | null,
  ): Promise<BatchResult[]> {
    // The last check and the registration run in one turn (no await between them): two commits
    // of one partition that both found none in flight would otherwise decide on the same accounts
    // at once (see commitsInFlight).
    for (let pending = this.commitsInFlight(batches); pending.length > 0;) {
      await Promise.allSettled(pending);
      pending = this.commitsInFlight(batches);
    }
    const done = this.decideAndCommit(batches, override);
    for (const { partition } of batches) this.committing.set(partition, done);
    try {
      return await done;
    } finally {
      for (const { partition } of batches)
        if (this.committing.get(partition) === done) this.committing.delete(partition);
    }
  }

  /**
   * The commits of these partitions in flight, which a commit waits for. After a rebalance between
   * the two consumers of this process, the new owner of a partition must not decide on the
   * accounts in memory while the old owner's last batch is still committing: were that commit to
   * fail, its effects would stay in the accounts this batch decides on, and the stored position,
   * unmoved, would let this batch write them a second time (balances no longer equal to their
   * entries). Nor may two batches of one partition decide at once: the one committing first would
   * write the other's effects into its balances with only its own entries (seen in a chaos run:
   * a transfer's debit twice in the balances, once in the entries), so the check and the
   * registration of a commit must not be split by an await (an async check resumes its caller a
   * microtask later, when a second commit may have passed the same check).
   */
  private commitsInFlight(batches: CommandBatch[]): Promise<unknown>[] {
    return batches.flatMap(({ partition }) => this.committing.get(partition) ?? []);
  }

  private async decideAndCommit(
    batches: CommandBatch[],
    override: DecisionOverride | null,
  ): Promise<BatchResult[]> {
    try {
      const parsed = batches.map((batch) =>
        batch.messages.map((message) => this.parseOnce(message)),
      );
      const processed = await this.store.findProcessedCommandIds(
        parsed.flatMap((messages) =>
          messages.flatMap((item) => ('reason' in item ? [] : [item.envelope.id])),
        ),
      );
      const prepared: { write: BatchWrite; counts: BatchResult['counts'] }[] = [];
      for (const [index, batch] of batches.entries()) {
        prepared.push(await this.prepare(batch, parsed[index], processed, override));
      }
      const outboxes = await this.store.commitBatches(prepared.map(({ write }) => write));
      return prepared.map(({ counts }, index) => ({ outbox: outboxes[index], counts }));
    } catch (error) {
      for (const batch of batches) this.release(batch.partition);
      throw error;
    }
  }

  /** The last resort for a command that cannot even be refused: a dead letter and the new offset. */
  async deadLetter(batch: CommandBatch, reason: string): Promise<BatchResult> {
    this.release(batch.partition);
    const write = this.emptyWrite(batch, this.now());
    for (const message of batch.messages)
      write.outbox.push(deadLetterMessage(batch.partition, message, reason));
    const counts = { applied: 0, duplicate: 0, dead_letter: batch.messages.length };
    const [outbox] = await this.store.commitBatches([write]);
    return { outbox, counts };
  }

  /**
   * Dedupes (against `processed`, the group's processed command ids) and decides one batch of
   * decoded messages against its partition's accounts; writes nothing.
   */
  private async prepare(
    batch: CommandBatch,
    parsed: (Accepted | Undecodable)[],
    processed: Set<string>,
    override: DecisionOverride | null,
  ): Promise<{ write: BatchWrite; counts: BatchResult['counts'] }> {
    const cache = this.cacheFor(batch.partition);
    const recordedAt = this.now();
    const write = this.emptyWrite(batch, recordedAt);
    const accepted: Accepted[] = [];
    for (const [index, item] of parsed.entries()) {
      if ('reason' in item)
        write.outbox.push(deadLetterMessage(batch.partition, batch.messages[index], item.reason));
      else accepted.push(item);
    }
    const needed = accepted.flatMap(({ command }) => accountsOf(command));
    const share = Math.max(1, Math.floor(this.accountsCachedMax / Math.max(1, this.caches.size)));
    const evicted = cache.evict(Math.max(0, share - needed.length), new Set(needed));
    if (evicted > 0) this.onEvicted(evicted);
    await cache.load(batch.partition, needed, this.store);
    const settled = await this.settledPayouts(accepted, processed);
    const counts = {
      applied: 0,
      duplicate: 0,
      dead_letter: batch.messages.length - accepted.length,
    };
    // On a failure from here on the in-memory accounts may be ahead of the database: the callers
    // release the partition so that it is rebuilt from the database next time.
    for (const item of accepted) {
      if (processed.has(item.envelope.id)) {
        counts.duplicate += 1;
        continue;
      }
      processed.add(item.envelope.id);
      this.apply(item, { cache, settled, partition: batch.partition }, write, override);
      counts.applied += 1;
    }
    write.accounts = cache.takeDirty();
    return { write, counts };
  }

  /** The settled payouts the batch's returns name, by payment id: one query, only if any. */
  private async settledPayouts(
    accepted: Accepted[],
    processed: Set<string>,
  ): Promise<Map<string, SettledPayout>> {
    const paymentIds = accepted.flatMap(({ command, envelope }) =>
      command.type === 'ReturnPayout' && !processed.has(envelope.id)
        ? [command.data.paymentId]
        : [],
    );
    if (paymentIds.length === 0) return new Map();
    const found = await this.store.findSettledPayouts(paymentIds);
    return new Map(found.map((payout) => [payout.paymentId, payout]));
  }

  private apply(
    item: Accepted,
    batch: { cache: PartitionCache; settled: Map<string, SettledPayout>; partition: number },
    write: BatchWrite,
    override: DecisionOverride | null,
  ): void {
    const { cache, settled, partition } = batch;
    const lookup = {
      find: (id: string) => cache.get(id),
      system: (id: string, kind: AccountKind, currency: string): AccountState =>
        cache.get(id) ?? cache.add(newSystemAccount(id, kind, currency)),
      settledPayout: (paymentId: string) => settled.get(paymentId),
    };
    const decision = override
      ? override(item.command)
      : decide(item.command, lookup, { partition });
    recordDecision(decision, item, cache, write);
    // A payout settled earlier in this batch is returnable later in it (the query ran before).
    for (const event of decision.events) {
      if (event.type !== 'PayoutSettled') continue;
      const { paymentId, accountId, currency, partnerId } = event.data;
      const amountMinor = BigInt(event.data.amountMinor);
      settled.set(paymentId, { paymentId, accountId, amountMinor, currency, partnerId });
    }
  }

  private parseOnce(message: CommandMessage): Accepted | Undecodable {
    let parsed = this.parsed.get(message);
    if (parsed === undefined) {
      parsed = parseCommandMessage(message);
      this.parsed.set(message, parsed);
    }
    return parsed;
  }

  private cacheFor(partition: number): PartitionCache {
    let cache = this.caches.get(partition);
    if (!cache) {
      cache = new PartitionCache();
      this.caches.set(partition, cache);
    }
    return cache;
  }

  private emptyWrite(batch: CommandBatch, recordedAt: Date): BatchWrite {
    return {
      consumerGroup: this.consumerGroup,
      topic: TOPICS.ledgerCommands,
      partition: batch.partition,
      fromOffset: batch.fromOffset,
      toOffset: batch.toOffset,
      lastMessageIdentity: batch.lastMessageIdentity,
      published: batch.published ?? null,
      recordedAt,
      accounts: [],
      events: [],
      journals: [],
      entries: [],
      holds: [],
      holdOutcomes: [],
      processed: [],
      outbox: [],
    };
  }
}
