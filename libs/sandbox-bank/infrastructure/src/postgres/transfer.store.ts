import type { DataSource } from 'typeorm';
import type {
  CreateTransferStore,
  SettlementStore,
  TransferChange,
  TransferRecord,
} from '@rtp/sandbox-bank/application';
import { TRANSFER_COLUMNS, transferFromRow, writeChange } from './change-writer';
import { rows, text } from './sql';

const DUE_CONDITION = {
  booking: `status = 'accepted' AND book_after <= $1`,
  return: `status = 'booked' AND return_after IS NOT NULL AND return_after <= $1`,
} as const;
const DUE_ORDER = { booking: 'book_after', return: 'return_after' } as const;

/** Transfers: created under an idempotency key, read back, settled by the worker. */
export class PostgresTransferStore implements CreateTransferStore, SettlementStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settlementIban: string,
  ) {}

  async createTransfer(input: {
    idempotencyKey: string;
    fingerprint: string;
    expiresAt: Date;
    change: TransferChange;
  }): Promise<{ created: boolean; fingerprint: string; transfer: TransferRecord }> {
    const { transfer } = input.change;
    const claimed = await this.dataSource.transaction(async (manager) => {
      // The primary key decides: a concurrent request with the same key waits here for the first
      // one's commit, then finds the key taken and writes nothing.
      const claim = await rows(
        manager,
        `INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, resource_id,
           created_at, expires_at)
         VALUES ('transfer', $1, $2, $3, $4, $5)
         ON CONFLICT (scope, idempotency_key) DO NOTHING RETURNING resource_id`,
        [input.idempotencyKey, input.fingerprint, transfer.id, transfer.createdAt, input.expiresAt],
      );
      if (claim.length === 0) return false;
      await writeChange(manager, input.change, transfer.createdAt);
      return true;
    });
    if (claimed) return { created: true, fingerprint: input.fingerprint, transfer };
    const [bound] = await rows(
      this.dataSource.manager,
      `SELECT k.fingerprint, ${TRANSFER_COLUMNS.replace(/(\w+)/g, 't.$1')}
       FROM idempotency_keys k JOIN transfers t ON t.transfer_id = k.resource_id
       WHERE k.scope = 'transfer' AND k.idempotency_key = $1`,
      [input.idempotencyKey],
    );
    if (!bound) throw new Error(`IdempotencyKeyBound: ${input.idempotencyKey} has no transfer`);
    return {
      created: false,
      fingerprint: text(bound.fingerprint),
      transfer: transferFromRow(bound),
    };
  }

  async findTransfer(id: string): Promise<TransferRecord | null> {
    const [row] = await rows(
      this.dataSource.manager,
      `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE transfer_id = $1`,
      [id],
    );
    return row ? transferFromRow(row) : null;
  }

  /** Every transfer with our reference, oldest first, at most `limit`. */
  async listByEndToEndId(endToEndId: string, limit: number): Promise<TransferRecord[]> {
    const found = await rows(
      this.dataSource.manager,
      `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE end_to_end_id = $1
       ORDER BY created_at, transfer_id LIMIT $2`,
      [endToEndId, limit],
    );
    return found.map(transferFromRow);
  }

  async settleDue(input: {
    kind: 'booking' | 'return';
    limit: number;
    now: Date;
    decide: (due: TransferRecord[], balances: ReadonlyMap<string, bigint>) => TransferChange[];
  }): Promise<TransferChange[]> {
    return this.dataSource.transaction(async (manager) => {
      const due = await rows(
        manager,
        // Only our account's transfers: banks of other accounts may share the schema (the test
        // suites' banks do), and a transfer booked by another is booked on the wrong account.
        `SELECT ${TRANSFER_COLUMNS} FROM transfers
         WHERE ${DUE_CONDITION[input.kind]} AND debtor_iban = $3
         ORDER BY ${DUE_ORDER[input.kind]}, transfer_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [input.now, input.limit, this.settlementIban],
      );
      if (due.length === 0) return [];
      const balances = await rows(
        manager,
        `SELECT currency, balance_minor FROM account_balances WHERE iban = $1
         ORDER BY currency FOR UPDATE`,
        [this.settlementIban],
      );
      const changes = input.decide(
        due.map(transferFromRow),
        new Map(balances.map((row) => [text(row.currency), BigInt(text(row.balance_minor))])),
      );
      for (const change of changes) await writeChange(manager, change, input.now);
      return changes;
    });
  }

  /** Forgets idempotency keys past their retention (at least 30 days), a bounded batch a time. */
  async expireKeys(now: Date, limit: number): Promise<number> {
    const deleted = await rows(
      this.dataSource.manager,
      `DELETE FROM idempotency_keys WHERE (scope, idempotency_key) IN (
         SELECT scope, idempotency_key FROM idempotency_keys WHERE expires_at < $1 LIMIT $2)
       RETURNING idempotency_key`,
      [now, limit],
    );
    return deleted.length;
  }
}
