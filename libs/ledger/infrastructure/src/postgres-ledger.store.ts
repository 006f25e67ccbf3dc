import { DataSource, QueryRunner } from 'typeorm';
import { AccountState } from '@rtp/ledger/domain';
import {
  BatchWrite,
  LedgerStore,
  OutboxRecord,
  PartitionFencedError,
  StoredOffset,
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
  topic: string;
  message_key: string;
  message_id: string;
  message_type: string;
  payload: Record<string, unknown>;
}

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
    overdraftLimitMinor: row.overdraft_limit_minor === null ? null : BigInt(row.overdraft_limit_minor),
    sequence: Number(row.sequence),
    freeze: row.freeze_mode,
    perDebitLimitMinor: row.per_debit_limit_minor === null ? null : BigInt(row.per_debit_limit_minor),
    holds: new Map(),
    lastHash: row.last_hash,
  };
}

function toOutboxRecord(row: OutboxDbRow): OutboxRecord {
  return {
    outboxId: row.outbox_id,
    topic: row.topic,
    key: row.message_key,
    messageId: row.message_id,
    messageType: row.message_type,
    payload: row.payload,
  };
}

/** The ledger's Postgres store: multi-row writes through unnest, one transaction per batch. */
export class PostgresLedgerStore implements LedgerStore {
  constructor(private readonly dataSource: DataSource) {}

  async acquirePartition(consumerGroup: string, topic: string, partition: number): Promise<StoredOffset> {
    const rows: { next_offset: string; last_message_identity: string | null }[] = await this.dataSource.query(
      `INSERT INTO ledger.consumer_offsets (consumer_group, topic, partition, next_offset, updated_at)
       VALUES ($1, $2, $3, 0, now())
       ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET consumer_group = EXCLUDED.consumer_group
       RETURNING next_offset, last_message_identity`,
      [consumerGroup, topic, partition],
    );
    return { nextOffset: BigInt(rows[0].next_offset), lastMessageIdentity: rows[0].last_message_identity };
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
      byId.get(hold.account_id)?.holds.set(hold.hold_id,
        { amountMinor: BigInt(hold.amount_minor), partnerId: hold.partner_id });
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
    const rows: { command_id: string }[] = await this.dataSource.query(
      'SELECT command_id FROM ledger.processed_commands WHERE command_id = ANY($1::text[])',
      [commandIds],
    );
    return new Set(rows.map((row) => row.command_id));
  }

  async commitBatch(write: BatchWrite): Promise<OutboxRecord[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('READ COMMITTED');
      const advanced = await runner.query(
        `UPDATE ledger.consumer_offsets SET next_offset = $4, updated_at = $6, last_message_identity = $7
         WHERE consumer_group = $1 AND topic = $2 AND partition = $3 AND next_offset = $5
         RETURNING next_offset`,
        [write.consumerGroup, write.topic, write.partition, write.toOffset.toString(),
          write.fromOffset.toString(), write.recordedAt, write.lastMessageIdentity],
        true,
      );
      if (advanced.records.length !== 1) {
        throw new PartitionFencedError(write.topic, write.partition, write.fromOffset);
      }
      await this.writeAccounts(runner, write);
      await this.writeFacts(runner, write);
      const outbox = await this.writeOutbox(runner, write);
      await runner.commitTransaction();
      return outbox;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async writeAccounts(runner: QueryRunner, write: BatchWrite): Promise<void> {
    if (write.accounts.length === 0) return;
    const a = write.accounts;
    await runner.query(
      `INSERT INTO ledger.accounts (${ACCOUNT_COLUMNS}, owner_partition, opened_at, updated_at)
       SELECT *, $12::integer, $13::timestamptz, $13::timestamptz FROM unnest(
         $1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
         $9::text[], $10::bigint[], $11::text[])
       ON CONFLICT (account_id) DO UPDATE SET status = EXCLUDED.status, freeze_mode = EXCLUDED.freeze_mode,
         per_debit_limit_minor = EXCLUDED.per_debit_limit_minor, last_hash = EXCLUDED.last_hash,
         posted_minor = EXCLUDED.posted_minor, pending_minor = EXCLUDED.pending_minor,
         overdraft_limit_minor = EXCLUDED.overdraft_limit_minor, sequence = EXCLUDED.sequence,
         updated_at = EXCLUDED.updated_at`,
      [
        a.map((x) => x.accountId), a.map((x) => x.currency), a.map((x) => x.kind), a.map((x) => x.status),
        a.map((x) => x.postedMinor.toString()), a.map((x) => x.pendingMinor.toString()),
        a.map((x) => x.overdraftLimitMinor?.toString() ?? null), a.map((x) => String(x.sequence)),
        a.map((x) => x.freeze), a.map((x) => x.perDebitLimitMinor?.toString() ?? null), a.map((x) => x.lastHash),
        write.partition, write.recordedAt,
      ],
    );
  }

  private async writeFacts(runner: QueryRunner, write: BatchWrite): Promise<void> {
    const at = write.recordedAt;
    if (write.events.length > 0) {
      const e = write.events;
      await runner.query(
        `INSERT INTO ledger.events (event_id, account_id, sequence, type, command_id, correlation_id, data,
           hash, recorded_at)
         SELECT *, $9::timestamptz FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],
           $6::text[], $7::jsonb[], $8::text[])`,
        [e.map((x) => x.eventId), e.map((x) => x.accountId), e.map((x) => x.sequence),
          e.map((x) => x.type), e.map((x) => x.commandId), e.map((x) => x.correlationId),
          e.map((x) => JSON.stringify(x.data)), e.map((x) => x.hash), at],
      );
    }
    if (write.journals.length > 0) {
      const j = write.journals;
      await runner.query(
        `INSERT INTO ledger.journals (journal_id, command_id, currency, recorded_at)
         SELECT *, $4::timestamptz FROM unnest($1::text[], $2::text[], $3::text[])`,
        [j.map((x) => x.journalId), j.map((x) => x.commandId), j.map((x) => x.currency), at],
      );
      // All entries of the batch in one statement: the balance trigger checks each journal whole.
      const n = write.entries;
      await runner.query(
        `INSERT INTO ledger.entries (journal_id, account_id, currency, amount_minor, recorded_at)
         SELECT *, $5::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])`,
        [n.map((x) => x.journalId), n.map((x) => x.accountId), n.map((x) => x.currency),
          n.map((x) => x.amountMinor.toString()), at],
      );
    }
    if (write.holds.length > 0) {
      const h = write.holds;
      await runner.query(
        `INSERT INTO ledger.holds (hold_id, account_id, amount_minor, currency, partner_id, recorded_at)
         SELECT *, $6::timestamptz FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[])`,
        [h.map((x) => x.holdId), h.map((x) => x.accountId), h.map((x) => x.amountMinor.toString()),
          h.map((x) => x.currency), h.map((x) => x.partnerId), at],
      );
    }
    if (write.holdOutcomes.length > 0) {
      const o = write.holdOutcomes;
      await runner.query(
        `INSERT INTO ledger.hold_outcomes (hold_id, outcome, recorded_at)
         SELECT *, $3::timestamptz FROM unnest($1::text[], $2::text[])`,
        [o.map((x) => x.holdId), o.map((x) => x.outcome), at],
      );
    }
    if (write.processed.length > 0) {
      const p = write.processed;
      await runner.query(
        `INSERT INTO ledger.processed_commands (command_id, command_type, kafka_offset, outcome,
           topic_partition, processed_at)
         SELECT *, $5::integer, $6::timestamptz FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])`,
        [p.map((x) => x.commandId), p.map((x) => x.commandType), p.map((x) => x.kafkaOffset.toString()),
          p.map((x) => x.outcome), write.partition, at],
      );
    }
  }

  private async writeOutbox(runner: QueryRunner, write: BatchWrite): Promise<OutboxRecord[]> {
    if (write.outbox.length === 0) return [];
    const o = write.outbox;
    const rows: OutboxDbRow[] = await runner.query(
      `INSERT INTO ledger.outbox (topic, message_key, message_id, message_type, payload, source_partition,
         created_at)
       SELECT topic, message_key, message_id, message_type, payload, $6::integer, $7::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS t(topic, message_key, message_id, message_type, payload, ord)
       ORDER BY ord
       ON CONFLICT (message_id) DO NOTHING
       RETURNING outbox_id, topic, message_key, message_id, message_type, payload`,
      [o.map((x) => x.topic), o.map((x) => x.key), o.map((x) => x.messageId), o.map((x) => x.messageType),
        o.map((x) => JSON.stringify(x.payload)), write.partition, write.recordedAt],
    );
    return rows.map(toOutboxRecord).sort((x, y) => Number(BigInt(x.outboxId) - BigInt(y.outboxId)));
  }

  async findUnpublishedOutbox(partition: number, limit: number): Promise<OutboxRecord[]> {
    const rows: OutboxDbRow[] = await this.dataSource.query(
      `SELECT outbox_id, topic, message_key, message_id, message_type, payload FROM ledger.outbox
       WHERE source_partition = $1 AND outbox_id > COALESCE(
         (SELECT published_through FROM ledger.outbox_positions WHERE source_partition = $1), 0)
       ORDER BY outbox_id LIMIT $2`,
      [partition, limit],
    );
    return rows.map(toOutboxRecord);
  }

  async markOutboxPublished(partition: number, outboxId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ledger.outbox_positions (source_partition, published_through, updated_at)
       VALUES ($1, $2, now())
       ON CONFLICT (source_partition) DO UPDATE SET updated_at = now(),
         published_through = GREATEST(ledger.outbox_positions.published_through, EXCLUDED.published_through)`,
      [partition, outboxId],
    );
  }
}
