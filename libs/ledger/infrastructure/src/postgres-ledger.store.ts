import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { ConsumerPositions, RowsQuery, preparedQuery } from '@rtp/shared/database';
import { AccountState, SettledPayout } from '@rtp/ledger/domain';
import {
  BatchWrite,
  LedgerStore,
  OutboxRecord,
  PartitionFencedError,
  PublishedPosition,
  StoredOffset,
} from '@rtp/ledger/application';
import {
  selectAccounts,
  selectSettledPayouts,
  selectSystemAccounts,
  writeAccounts,
} from './postgres-store/account-rows';
import { writeFacts } from './postgres-store/fact-rows';
import { mergeWrites } from './postgres-store/merged-write';
import { writeEvents, writeOutbox } from './postgres-store/publication-rows';
import { recordPublished, selectUnpublished } from './postgres-store/unpublished-rows';

/**
 * Explicit, though it is the server's default: the offset compare-and-set relies on READ COMMITTED
 * re-checking a row that another owner changed meanwhile (that partition is fenced, not failed).
 */
const BEGIN_READ_COMMITTED = 'BEGIN ISOLATION LEVEL READ COMMITTED';

/** The ledger's Postgres store: multi-row writes through unnest, one transaction per batch. */
export class PostgresLedgerStore implements LedgerStore {
  constructor(
    private readonly dataSource: DataSource,
    /** Told each committed group's writes (the continuous invariants follow them). */
    private readonly onCommitted: (writes: BatchWrite[]) => void = () => undefined,
  ) {}

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

  loadAccounts(accountIds: string[]): Promise<AccountState[]> {
    return selectAccounts(this.query, accountIds);
  }

  loadSystemAccounts(partition: number): Promise<AccountState[]> {
    return selectSystemAccounts(this.query, partition);
  }

  findSettledPayouts(paymentIds: string[]): Promise<SettledPayout[]> {
    return selectSettledPayouts(this.query, paymentIds);
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
        await recordPublished(
          sql,
          writes.flatMap((each) => (each.published ? [each.published] : [])),
        );
        const write = mergeWrites(writes);
        await writeAccounts(sql, write);
        const events = await writeEvents(sql, write);
        await writeFacts(sql, write);
        const outbox = await writeOutbox(sql, write);
        began = false;
        await sql('COMMIT', []);
        this.onCommitted(writes);
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

  findUnpublished(
    partition: number,
    limit: number,
  ): Promise<{ records: OutboxRecord[]; more: boolean }> {
    return selectUnpublished(this.query, partition, limit);
  }

  async markPublished(positions: PublishedPosition[]): Promise<void> {
    await recordPublished(this.query, positions);
  }

  private readonly query: RowsQuery = (text, values) => this.dataSource.query(text, values);
}
