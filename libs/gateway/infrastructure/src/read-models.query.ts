import { DataSource } from 'typeorm';
import {
  AccountEntry,
  AccountView,
  BalanceReader,
  EntriesReader,
  Page,
  PaymentFilter,
  PaymentRecord,
  PaymentsReader,
} from '@rtp/gateway/application';
import { readAccountRow, readPaymentRow } from './gateway-rows';
import {
  decodeCursor,
  encodeCursor,
  idField,
  instantField,
  sequenceField,
} from './read-model-cursor';

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;

/** Queries on the read models, served from the read replica when one is configured. */
export class GatewayReadModels implements BalanceReader, EntriesReader, PaymentsReader {
  constructor(private readonly reader: DataSource) {}

  async readAccount(accountId: string): Promise<AccountView | null> {
    return readAccountRow(this.reader, accountId);
  }

  async readPayment(paymentId: string): Promise<PaymentRecord | null> {
    return readPaymentRow(this.reader, paymentId);
  }

  /** An account's entries, newest first. */
  async entries(
    accountId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<AccountEntry>> {
    const [before] = decodeCursor(cursor, [sequenceField]) ?? [null];
    const rows: Record<string, string>[] = await this.reader.query(
      `SELECT sequence::text, event_type, payment_id, posted_change_minor::text, pending_change_minor::text,
              posted_after_minor::text, pending_after_minor::text, occurred_at
       FROM gateway.account_entries WHERE account_id = $1 AND ($2::bigint IS NULL OR sequence < $2::bigint)
       ORDER BY sequence DESC LIMIT $3`,
      [accountId, before, limit + 1],
    );
    const data = rows.slice(0, limit).map((row) => ({
      sequence: Number(row.sequence),
      type: row.event_type,
      paymentId: row.payment_id,
      postedChange: row.posted_change_minor,
      pendingChange: row.pending_change_minor,
      postedAfter: row.posted_after_minor,
      pendingAfter: row.pending_after_minor,
      occurredAt: new Date(row.occurred_at).toISOString(),
    }));
    const last = data[data.length - 1];
    return {
      data,
      nextCursor: rows.length > limit && last ? encodeCursor([String(last.sequence)]) : null,
    };
  }

  /** The balance after the last entry at or before `asOf` (zero before the first). */
  async balanceAsOf(accountId: string, asOf: Date): Promise<{ posted: string; pending: string }> {
    const rows: { posted: string; pending: string }[] = await this.reader.query(
      `SELECT posted_after_minor::text AS posted, pending_after_minor::text AS pending
       FROM gateway.account_entries WHERE account_id = $1 AND occurred_at <= $2
       ORDER BY sequence DESC LIMIT 1`,
      [accountId, asOf],
    );
    return rows[0] ?? { posted: '0', pending: '0' };
  }

  /** Payment ids a client may see (it initiated them, or they move its accounts), newest first. */
  async paymentIds(
    filter: PaymentFilter,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<string>> {
    const [createdAt, paymentId] = decodeCursor(cursor, [instantField, idField]) ?? [null, null];
    const rows: { payment_id: string; created_at: Date }[] = await this.reader.query(
      `SELECT p.payment_id, p.created_at FROM gateway.payments p
       WHERE ($1::text IS NULL OR p.client_id = $1
               OR p.source_account_id IN
                 (SELECT account_id FROM gateway.accounts WHERE client_id = $1)
               OR p.destination_account_id IN
                 (SELECT account_id FROM gateway.accounts WHERE client_id = $1))
         AND ($2::text IS NULL OR p.source_account_id = $2 OR p.destination_account_id = $2)
         AND ($3::text IS NULL OR p.status = $3)
         AND ($4::timestamptz IS NULL OR (p.created_at, p.payment_id) < ($4::timestamptz, $5::text))
       ORDER BY p.created_at DESC, p.payment_id DESC LIMIT $6`,
      [filter.clientId, filter.accountId, filter.status, createdAt, paymentId, limit + 1],
    );
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return {
      data: data.map((row) => row.payment_id),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor([new Date(last.created_at).toISOString(), last.payment_id])
          : null,
    };
  }
}
