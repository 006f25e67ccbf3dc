import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { ConsumerPositions, RowsQuery, preparedQuery } from '@rtp/shared/database';
import { canonicalJson } from '@rtp/contracts';
import { AccountState } from '@rtp/ledger/domain';
import {
  BatchWrite,
  LedgerStore,
  OutboxRecord,
  PartitionFencedError,
  PublishedPosition,
  StoredOffset,
  eventMessage,
} from '@rtp/ledger/application';

interface AccountRow {
  account_id: string;
  currency: string;
  kind: AccountState['kind'];
  status: AccountState['status'];
  posted_minor: string;
  pending_minor: string;
  overdraft_limit_minor: string | null;
  sequence: string;
  freeze_mode: AccountState['freeze'];
  per_debit_limit_minor: string | null;
  last_hash: string;
}

interface HoldDbRow {
  hold_id: string;
  account_id: string;
  amount_minor: string;
  partner_id: string;
}

interface OutboxDbRow {
  outbox_id: string;
  source_partition: number;
  topic: string;
  message_key: string;
  message_id: string;
  message_type: string;
  /** The payload as PostgreSQL prints it: published as it is, not parsed and serialised again. */
  payload_json: string;
}

/**
 * Explicit, though it is the server's default: the offset compare-and-set relies on READ COMMITTED
 * re-checking a row that another owner changed meanwhile (that partition is fenced, not failed).
 */
const BEGIN_READ_COMMITTED = 'BEGIN ISOLATION LEVEL READ COMMITTED';

const ACCOUNT_COLUMNS = `account_id, currency, kind, status, posted_minor, pending_minor,
  overdraft_limit_minor, sequence, freeze_mode, per_debit_limit_minor, last_hash`;

function toAccount(row: AccountRow): AccountState {
  return {
    accountId: row.account_id,
    currency: row.currency,
    kind: row.kind,
    status: row.status,
    postedMinor: BigInt(row.posted_minor),
    pendingMinor: BigInt(row.pending_minor),
    overdraftLimitMinor:
      row.overdraft_limit_minor === null ? null : BigInt(row.overdraft_limit_minor),
    sequence: Number(row.sequence),
    freeze: row.freeze_mode,
    perDebitLimitMinor:
      row.per_debit_limit_minor === null ? null : BigInt(row.per_debit_limit_minor),
    holds: new Map(),
    lastHash: row.last_hash,
  };
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
  };
}

/** The ledger's Postgres store: multi-row writes through unnest, one transaction per batch. */
export class PostgresLedgerStore implements LedgerStore {
  constructor(private readonly dataSource: DataSource) {}

  async acquirePartition(
    consumerGroup: string,
    topic: string,
    partition: number,
  ): Promise<StoredOffset> {
    return new ConsumerPositions('ledger', consumerGroup).acquire(
      (sql, parameters) => this.dataSource.query(sql, parameters),
      topic,
      partition,
    );
  }

  async loadAccounts(accountIds: string[]): Promise<AccountState[]> {
    const rows: AccountRow[] = await this.dataSource.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger.accounts WHERE account_id = ANY($1::text[])`,
      [accountIds],
    );
    const accounts = rows.map(toAccount);
    const holds: HoldDbRow[] = await this.dataSource.query(
      `SELECT hold_id, account_id, amount_minor, partner_id FROM ledger.holds h
       WHERE account_id = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM ledger.hold_outcomes o WHERE o.hold_id = h.hold_id)`,
      [accountIds],
    );
    const byId = new Map(accounts.map((account) => [account.accountId, account]));
    for (const hold of holds) {
      byId.get(hold.account_id)?.holds.set(hold.hold_id, {
        amountMinor: BigInt(hold.amount_minor),
        partnerId: hold.partner_id,
      });
    }
    return accounts;
  }

  async loadSystemAccounts(partition: number): Promise<AccountState[]> {
    const rows: AccountRow[] = await this.dataSource.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger.accounts WHERE owner_partition = $1 AND kind <> 'customer'`,
      [partition],
    );
    return rows.map(toAccount);
  }

  async findProcessedCommandIds(commandIds: string[]): Promise<Set<string>> {
    if (commandIds.length === 0) return new Set();
    const rows = await this.prepared((sql) =>
      sql('SELECT command_id FROM ledger.processed_commands WHERE command_id = ANY($1::text[])', [
        commandIds,
      ]),
    );
    return new Set(rows.map((row) => String(row.command_id)));
  }

  /** Runs `work` on one pooled connection whose statements are prepared (see preparedQuery). */
  private async prepared<T>(work: (sql: RowsQuery) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      // TypeORM 1.1's PostgresQueryRunner.connect() resolves to the pool client it holds.
      return await work(preparedQuery((await runner.connect()) as PoolClient, this.logError));
    } finally {
      await runner.release();
    }
  }

  /**
   * One transaction for all the writes. It begins with one statement (TypeORM's startTransaction
   * sends START TRANSACTION and SET TRANSACTION ISOLATION LEVEL as two), and every statement runs
   * prepared on the connection itself: TypeORM's query() cannot name a statement.
   */
  async commitBatches(writes: BatchWrite[]): Promise<OutboxRecord[][]> {
    if (writes.length === 0) return [];
    return this.prepared(async (sql) => {
      let began = false;
      try {
        await sql(BEGIN_READ_COMMITTED, []);
        began = true;
        await this.advanceOffsets(sql, writes);
        await this.recordPublished(
          sql,
          writes.flatMap((each) => (each.published ? [each.published] : [])),
        );
        const write = mergeWrites(writes);
        await this.writeAccounts(sql, write);
        const events = await this.writeEvents(sql, write);
        await this.writeFacts(sql, write);
        const outbox = await this.writeOutbox(sql, write);
        began = false;
        await sql('COMMIT', []);
        const records = [...events, ...outbox];
        return writes.map((each) =>
          records.filter((record) => record.sourcePartition === each.partition),
        );
      } catch (error) {
        // A ROLLBACK fails only on a broken connection, which the pool then discards; the error that
        // matters to the caller (fenced, permanent or transient) is the first one.
        if (began) await sql('ROLLBACK', []).catch(() => undefined);
        throw error;
      }
    });
  }

  private readonly logError = (error: Error, text: string): void =>
    this.dataSource.logger.logQueryError(error, text);

  /** Every partition's offset compare-and-set in one statement; any miss fences the transaction. */
  private async advanceOffsets(sql: RowsQuery, writes: BatchWrite[]): Promise<void> {
    const fenced = await new ConsumerPositions('ledger', writes[0].consumerGroup).advance(
      sql,
      writes,
      writes[0].recordedAt,
    );
    if (fenced.length > 0) throw new PartitionFencedError(writes[0].topic, fenced);
  }

  /** Rows are taken in account order, as by every writer of accounts, so writers cannot deadlock. */
  private async writeAccounts(sql: RowsQuery, write: MergedWrite): Promise<void> {
    if (write.accounts.length === 0) return;
    const a = write.accounts;
    await sql(
      `INSERT INTO ledger.accounts (${ACCOUNT_COLUMNS}, owner_partition, opened_at, updated_at)
       SELECT *, $13::timestamptz, $13::timestamptz FROM unnest(
         $1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
         $9::text[], $10::bigint[], $11::text[], $12::integer[]) AS t(${ACCOUNT_COLUMNS}, owner_partition)
       ORDER BY account_id
       ON CONFLICT (account_id) DO UPDATE SET status = EXCLUDED.status, freeze_mode = EXCLUDED.freeze_mode,
         per_debit_limit_minor = EXCLUDED.per_debit_limit_minor, last_hash = EXCLUDED.last_hash,
         posted_minor = EXCLUDED.posted_minor, pending_minor = EXCLUDED.pending_minor,
         overdraft_limit_minor = EXCLUDED.overdraft_limit_minor, sequence = EXCLUDED.sequence,
         updated_at = EXCLUDED.updated_at`,
      [
        a.map((x) => x.accountId),
        a.map((x) => x.currency),
        a.map((x) => x.kind),
        a.map((x) => x.status),
        a.map((x) => x.postedMinor.toString()),
        a.map((x) => x.pendingMinor.toString()),
        a.map((x) => x.overdraftLimitMinor?.toString() ?? null),
        a.map((x) => String(x.sequence)),
        a.map((x) => x.freeze),
        a.map((x) => x.perDebitLimitMinor?.toString() ?? null),
        a.map((x) => x.lastHash),
        write.accountPartitions,
        write.recordedAt,
      ],
    );
  }

  private async writeFacts(sql: RowsQuery, write: MergedWrite): Promise<void> {
    const at = write.recordedAt;
    if (write.journals.length > 0) {
      const j = write.journals;
      await sql(
        `INSERT INTO ledger.journals (journal_id, command_id, currency, recorded_at)
         SELECT *, $4::timestamptz FROM unnest($1::text[], $2::text[], $3::text[])`,
        [j.map((x) => x.journalId), j.map((x) => x.commandId), j.map((x) => x.currency), at],
      );
      // All entries of the batch in one statement: the balance trigger checks each journal whole.
      const n = write.entries;
      await sql(
        `INSERT INTO ledger.entries (journal_id, account_id, currency, amount_minor, recorded_at)
         SELECT *, $5::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])`,
        [
          n.map((x) => x.journalId),
          n.map((x) => x.accountId),
          n.map((x) => x.currency),
          n.map((x) => x.amountMinor.toString()),
          at,
        ],
      );
    }
    if (write.holds.length > 0) {
      const h = write.holds;
      await sql(
        `INSERT INTO ledger.holds (hold_id, account_id, amount_minor, currency, partner_id, recorded_at)
         SELECT *, $6::timestamptz FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[])`,
        [
          h.map((x) => x.holdId),
          h.map((x) => x.accountId),
          h.map((x) => x.amountMinor.toString()),
          h.map((x) => x.currency),
          h.map((x) => x.partnerId),
          at,
        ],
      );
    }
    if (write.holdOutcomes.length > 0) {
      const o = write.holdOutcomes;
      await sql(
        `INSERT INTO ledger.hold_outcomes (hold_id, outcome, recorded_at)
         SELECT *, $3::timestamptz FROM unnest($1::text[], $2::text[])`,
        [o.map((x) => x.holdId), o.map((x) => x.outcome), at],
      );
    }
    if (write.processed.length > 0) {
      const p = write.processed;
      await sql(
        `INSERT INTO ledger.processed_commands (command_id, command_type, kafka_offset, outcome,
           topic_partition, processed_at)
         SELECT *, $6::timestamptz FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::integer[])`,
        [
          p.map((x) => x.commandId),
          p.map((x) => x.commandType),
          p.map((x) => x.kafkaOffset.toString()),
          p.map((x) => x.outcome),
          write.processedPartitions,
          at,
        ],
      );
    }
  }

  /**
   * The events, each with the next publication position in decision order: the rows themselves are
   * what gets published (see eventMessage), so no copy of them goes to the outbox.
   */
  private async writeEvents(sql: RowsQuery, write: MergedWrite): Promise<OutboxRecord[]> {
    if (write.events.length === 0) return [];
    const e = write.events;
    const rows = await sql(
      `INSERT INTO ledger.events (event_id, account_id, sequence, type, command_id, correlation_id, data,
         hash, source_partition, recorded_at, publication_position)
       SELECT event_id, account_id, sequence, type, command_id, correlation_id, data, hash, source_partition,
         $10::timestamptz, nextval('ledger.event_publication_positions')
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
         $8::text[], $9::integer[]) WITH ORDINALITY AS t(event_id, account_id, sequence, type, command_id,
         correlation_id, data, hash, source_partition, ord)
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
  private async writeOutbox(sql: RowsQuery, write: MergedWrite): Promise<OutboxRecord[]> {
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

  async findUnpublished(
    partition: number,
    limit: number,
  ): Promise<{ records: OutboxRecord[]; more: boolean }> {
    const events: UnpublishedEventRow[] = await this.dataSource.query(
      `SELECT event_id, account_id, type, command_id, correlation_id, data, recorded_at, publication_position
       FROM ledger.events WHERE source_partition = $1 AND publication_position > COALESCE(
         (SELECT events_published_through FROM ledger.outbox_positions WHERE source_partition = $1), 0)
       ORDER BY publication_position LIMIT $2`,
      [partition, limit],
    );
    const outbox: OutboxDbRow[] = await this.dataSource.query(
      `SELECT outbox_id, source_partition, topic, message_key, message_id, message_type,
         payload::text AS payload_json
       FROM ledger.outbox WHERE source_partition = $1 AND (source_partition, outbox_id) > ($1, COALESCE(
         (SELECT published_through FROM ledger.outbox_positions WHERE source_partition = $1), 0))
       ORDER BY source_partition, outbox_id LIMIT $2`,
      [partition, limit],
    );
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

  async markPublished(positions: PublishedPosition[]): Promise<void> {
    await this.recordPublished((text, values) => this.dataSource.query(text, values), positions);
  }

  /**
   * Rows are taken in partition order: a batch transaction and the worker's statement for idle
   * partitions may record positions at the same time, and must not deadlock.
   */
  private async recordPublished(sql: RowsQuery, positions: PublishedPosition[]): Promise<void> {
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
}

/** Several partitions' writes as one, each row keeping the partition it belongs to. */
interface MergedWrite extends Omit<
  BatchWrite,
  'partition' | 'fromOffset' | 'toOffset' | 'lastMessageIdentity' | 'published'
> {
  accountPartitions: number[];
  eventPartitions: number[];
  processedPartitions: number[];
  outboxPartitions: number[];
}

function mergeWrites(writes: BatchWrite[]): MergedWrite {
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
