import { EntityManager } from 'typeorm';
import { PARTNER_STATEMENT_MESSAGE_SCHEMAS } from '@rtp/contracts';
import { lineIdOf } from '@rtp/reconciler/domain';
import { rowsQueryOf } from '@rtp/shared/database';
import { z } from 'zod';

type Header = z.infer<typeof PARTNER_STATEMENT_MESSAGE_SCHEMAS.StatementReceived>;
type Chunk = z.infer<typeof PARTNER_STATEMENT_MESSAGE_SCHEMAS.StatementEntriesReported>;

export interface CompletedStatement {
  statementId: string;
  partnerId: string;
  date: string;
  receivedBy: string;
}

export async function insertHeaders(manager: EntityManager, headers: Header[]): Promise<void> {
  if (headers.length === 0) return;
  await manager.query(
    `INSERT INTO reconciler.statements (statement_id, partner_id, account_iban, currency,
       statement_date, header, entry_count, chunk_count, received_at)
     SELECT v.*, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[],
       $6::jsonb[], $7::integer[], $8::integer[]) AS v
     ON CONFLICT (statement_id) DO NOTHING`,
    [
      headers.map((h) => h.statementId),
      headers.map((h) => h.partnerId),
      headers.map((h) => h.accountIban),
      headers.map((h) => h.currency),
      headers.map((h) => h.date),
      headers.map((h) => JSON.stringify(h)),
      headers.map((h) => h.entryCount),
      headers.map((h) => h.chunkCount),
    ],
  );
}

type LineColumns = [
  string[],
  string[],
  number[],
  string[],
  number[],
  number[],
  string[],
  string[],
  string[],
  string[],
  boolean[],
  (string | null)[],
  (string | null)[],
  (string | null)[],
];

function lineColumns(chunks: readonly Chunk[]): LineColumns {
  const columns: LineColumns = [[], [], [], [], [], [], [], [], [], [], [], [], [], []];
  for (const chunk of chunks) {
    chunk.entries.forEach((entry, offset) => {
      entry.transactions.forEach((transaction, index) => {
        const values = [
          lineIdOf(chunk.statementId, entry.entryReference, index),
          chunk.statementId,
          chunk.firstIndex + offset,
          entry.entryReference,
          index,
          entry.transactions.length,
          entry.creditDebit,
          transaction.amountMinor,
          entry.currency,
          entry.bookingDate,
          entry.reversal,
          transaction.endToEndId,
          transaction.transactionId,
          transaction.reasonCode,
        ];
        values.forEach((value, column) => (columns[column] as unknown[]).push(value));
      });
    });
  }
  return columns;
}

/** The chunks not seen before and their lines (a statement published twice is stored once). */
export async function insertChunks(manager: EntityManager, chunks: Chunk[]): Promise<void> {
  if (chunks.length === 0) return;
  const fresh: { statement_id: string; chunk: number }[] = await manager.query(
    `INSERT INTO reconciler.statement_chunks (statement_id, chunk, entries)
     SELECT * FROM unnest($1::text[], $2::integer[], $3::integer[])
     ON CONFLICT DO NOTHING RETURNING statement_id, chunk`,
    [
      chunks.map((c) => c.statementId),
      chunks.map((c) => c.chunk),
      chunks.map((c) => c.entries.length),
    ],
  );
  const freshKeys = new Set(fresh.map((row) => `${row.statement_id}#${row.chunk}`));
  const columns = lineColumns(chunks.filter((c) => freshKeys.has(`${c.statementId}#${c.chunk}`)));
  if (columns[0].length === 0) return;
  await manager.query(
    `INSERT INTO reconciler.statement_lines (line_id, statement_id, entry_index, entry_reference,
       transaction_index, transaction_count, credit_debit, amount_minor, currency, booking_date,
       reversal, end_to_end_id, transaction_id, reason_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::integer[],
       $6::integer[], $7::text[], $8::bigint[], $9::text[], $10::date[], $11::boolean[], $12::text[],
       $13::text[], $14::text[])
     ON CONFLICT (line_id) DO NOTHING`,
    columns,
  );
}

/**
 * Statements of the batch that now hold every chunk (entries checked against the header): they
 * are complete, used from now on, and each asks for a run of its day.
 */
export async function completeStatements(
  manager: EntityManager,
  statementIds: string[],
): Promise<CompletedStatement[]> {
  if (statementIds.length === 0) return [];
  // An UPDATE's rows come back structured only through rowsQueryOf (TypeORM: [rows, count]).
  const rows = await rowsQueryOf(manager.queryRunner!)(
    `UPDATE reconciler.statements s SET completed_at = now()
     WHERE s.statement_id = ANY($1::text[]) AND s.completed_at IS NULL
       AND (SELECT count(*) FROM reconciler.statement_chunks c WHERE c.statement_id = s.statement_id)
         = s.chunk_count
       AND (SELECT COALESCE(sum(entries), 0) FROM reconciler.statement_chunks c
         WHERE c.statement_id = s.statement_id) = s.entry_count
     RETURNING s.statement_id, s.partner_id, to_char(s.statement_date, 'YYYY-MM-DD') AS date,
       s.header->>'receivedBy' AS received_by`,
    [statementIds],
  );
  return rows.map((row) => ({
    statementId: String(row.statement_id),
    partnerId: String(row.partner_id),
    date: String(row.date),
    receivedBy: String(row.received_by),
  }));
}

export async function requestRuns(
  manager: EntityManager,
  requests: {
    requestId: string;
    partnerId: string;
    date: string;
    trigger: 'schedule' | 'on_demand' | 'statement';
    requestedBy: string;
  }[],
): Promise<void> {
  if (requests.length === 0) return;
  await manager.query(
    `INSERT INTO reconciler.run_requests (request_id, partner_id, run_date, trigger_kind,
       requested_by, requested_at)
     SELECT v.*, now() FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[]) AS v
     ON CONFLICT (request_id) DO NOTHING`,
    [
      requests.map((r) => r.requestId),
      requests.map((r) => r.partnerId),
      requests.map((r) => r.date),
      requests.map((r) => r.trigger),
      requests.map((r) => r.requestedBy),
    ],
  );
}
