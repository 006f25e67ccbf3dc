import {
  LedgerCommand,
  TOPICS,
  canonicalJson,
  createEnvelope,
  decodeEnvelope,
  deadLetterOf,
  ledgerEventProblem,
  parseLedgerCommand,
  Envelope,
} from '@rtp/contracts';
import {
  AccountKind,
  AccountState,
  applyAccountChange,
  applyHoldChange,
  applyJournal,
  assertAccountInvariants,
  chainLink,
  decide,
  decideRejection,
  Decision,
  InvariantViolation,
  newSystemAccount,
} from '@rtp/ledger/domain';
import {
  BatchWrite,
  LedgerStore,
  OutboxRecord,
  OutboxRow,
  PublishedPosition,
} from './ledger-store.port';
import { LEDGER_SOURCE } from './event-message';
import { PartitionCache } from './partition-cache';

export interface CommandMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}

export interface CommandBatch {
  partition: number;
  messages: CommandMessage[];
  fromOffset: bigint;
  toOffset: bigint;
  lastMessageIdentity: string;
  /** What the partition published since its position was last recorded (see BatchWrite). */
  published?: PublishedPosition;
}

/** Replaces the decider for a command refused whole (see `reject`). */
type DecisionOverride = (command: LedgerCommand) => Decision;

interface Accepted {
  envelope: Envelope;
  command: LedgerCommand;
  offset: bigint;
}

export interface BatchResult {
  /** The batch's outbox rows, in commit order, to publish now. */
  outbox: OutboxRecord[];
  counts: { applied: number; duplicate: number; dead_letter: number };
}

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
  private readonly parsed = new WeakMap<CommandMessage, Accepted | { reason: string }>();

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
      write.outbox.push(deadLetter(batch.partition, message, reason));
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
    parsed: (Accepted | { reason: string })[],
    processed: Set<string>,
    override: DecisionOverride | null,
  ): Promise<{ write: BatchWrite; counts: BatchResult['counts'] }> {
    const cache = this.cacheFor(batch.partition);
    const recordedAt = this.now();
    const write = this.emptyWrite(batch, recordedAt);
    const accepted: Accepted[] = [];
    for (const [index, item] of parsed.entries()) {
      if ('reason' in item)
        write.outbox.push(deadLetter(batch.partition, batch.messages[index], item.reason));
      else accepted.push(item);
    }
    const needed = accepted.flatMap(({ command }) => accountsOf(command));
    const share = Math.max(1, Math.floor(this.accountsCachedMax / Math.max(1, this.caches.size)));
    const evicted = cache.evict(Math.max(0, share - needed.length), new Set(needed));
    if (evicted > 0) this.onEvicted(evicted);
    await cache.load(batch.partition, needed, this.store);
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
      this.apply(item, cache, batch.partition, write, override);
      counts.applied += 1;
    }
    write.accounts = cache.takeDirty();
    return { write, counts };
  }

  private apply(
    item: Accepted,
    cache: PartitionCache,
    partition: number,
    write: BatchWrite,
    override: DecisionOverride | null,
  ): void {
    const { envelope, command } = item;
    const lookup = {
      find: (id: string) => cache.get(id),
      system: (id: string, kind: AccountKind, currency: string): AccountState =>
        cache.get(id) ?? cache.add(newSystemAccount(id, kind, currency)),
    };
    const decision = override ? override(command) : decide(command, lookup, { partition });
    const find = (id: string) => cache.get(id);
    if (decision.opened) cache.add(decision.opened);
    const touched = new Set<AccountState>();
    if (decision.journal) {
      const journalId = envelope.id;
      for (const account of applyJournal(decision.journal, find)) touched.add(account);
      write.journals.push({
        journalId,
        commandId: envelope.id,
        currency: decision.journal.currency,
      });
      for (const posting of decision.journal.postings) {
        write.entries.push({ journalId, currency: decision.journal.currency, ...posting });
      }
    }
    for (const hold of decision.holds) {
      touched.add(applyHoldChange(hold, find));
      if (hold.kind === 'placed') write.holds.push({ ...hold });
      else write.holdOutcomes.push({ holdId: hold.holdId, outcome: hold.kind });
    }
    for (const change of decision.accountChanges) touched.add(applyAccountChange(change, find));
    for (const account of touched) {
      assertAccountInvariants(account);
      cache.markDirty(account);
    }
    for (const decided of decision.events) {
      const account = cache.get(decided.streamId);
      const eventId = `${envelope.id}/${decided.type}`;
      let sequence: number | null = null;
      let hash: string | null = null;
      const data: Record<string, unknown> = { ...decided.data };
      if (account) {
        account.sequence += 1;
        sequence = account.sequence;
        data.accountSequence = sequence;
        if (decided.withBalance) data.balance = balanceOf(account);
      } else {
        data.accountSequence = null;
      }
      // Every event is checked against its contract before it is written: a mismatch is a bug, and
      // the command is refused (processing_failed) rather than a broken event stored for good.
      const problem = ledgerEventProblem(decided.type, data);
      if (problem)
        throw new InvariantViolation('EventMatchesContract', `${decided.type}: ${problem}`);
      // Serialised once: the hash covers exactly the bytes stored and published.
      const dataJson = canonicalJson(data);
      if (account && sequence !== null) {
        hash = chainLink(
          account.lastHash,
          { eventId, accountId: account.accountId, sequence, type: decided.type },
          dataJson,
        );
        account.lastHash = hash;
        cache.markDirty(account);
      }
      write.events.push({
        eventId,
        accountId: decided.streamId,
        sequence,
        hash,
        type: decided.type,
        commandId: envelope.id,
        correlationId: envelope.correlationid,
        dataJson,
      });
      // The event row itself is published (no copy in the outbox): see the store's publication.
    }
    for (const followUp of decision.followUps) {
      write.outbox.push(
        message(
          TOPICS.ledgerCommands,
          followUp.key,
          followUp.id,
          followUp.type,
          followUp.data,
          envelope,
          write.recordedAt,
        ),
      );
    }
    write.processed.push({
      commandId: envelope.id,
      commandType: command.type,
      kafkaOffset: item.offset,
      outcome:
        [...decision.events.map((e) => e.type), ...decision.followUps.map((f) => f.type)].join(
          ',',
        ) || 'none',
    });
  }

  private parseOnce(message: CommandMessage): Accepted | { reason: string } {
    let parsed = this.parsed.get(message);
    if (parsed === undefined) {
      parsed = parse(message);
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

function parse(message: CommandMessage): Accepted | { reason: string } {
  const decoded = decodeEnvelope(message.value);
  if (!decoded.ok) return { reason: decoded.reason };
  const parsed = parseLedgerCommand(decoded.envelope.type, decoded.envelope.data);
  if (!parsed.ok) return { reason: parsed.reason };
  const key = message.key?.toString('utf8');
  if (key !== decoded.envelope.partitionkey || !accountsOf(parsed.command).includes(key)) {
    return { reason: `message key ${key} does not name the account this command changes` };
  }
  return { envelope: decoded.envelope, command: parsed.command, offset: BigInt(message.offset) };
}

/** The account a command changes: the one its key must name. */
function accountsOf(command: LedgerCommand): string[] {
  switch (command.type) {
    case 'TransferFunds':
    case 'RefundTransfer':
      return [command.data.sourceAccountId];
    case 'CreditTransfer':
      return [command.data.destinationAccountId];
    default:
      return [command.data.accountId];
  }
}

function balanceOf(account: AccountState) {
  return {
    postedMinor: account.postedMinor.toString(),
    pendingMinor: account.pendingMinor.toString(),
    availableMinor: (account.postedMinor - account.pendingMinor).toString(),
  };
}

function message(
  topic: string,
  key: string,
  messageId: string,
  type: string,
  data: Record<string, unknown>,
  cause: Envelope,
  time: Date,
): OutboxRow {
  const envelope = createEnvelope({
    id: messageId,
    type,
    source: LEDGER_SOURCE,
    time,
    partitionKey: key,
    correlationId: cause.correlationid,
    causationId: cause.id,
    data,
  });
  return { topic, key, messageId, messageType: type, payloadJson: JSON.stringify(envelope) };
}

function deadLetter(partition: number, original: CommandMessage, reason: string): OutboxRow {
  const { letter, json } = deadLetterOf(
    {
      topic: TOPICS.ledgerCommands,
      partition,
      offset: original.offset,
      key: original.key,
      value: original.value,
    },
    reason,
  );
  return {
    topic: TOPICS.ledgerDeadLetters,
    key: original.key?.toString('utf8') ?? `partition-${partition}`,
    messageId: letter.id,
    messageType: 'DeadLetter',
    payloadJson: json,
  };
}
