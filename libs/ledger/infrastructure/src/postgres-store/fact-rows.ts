import { RowsQuery } from '@rtp/shared/database';
import { MergedWrite } from './merged-write';

export async function writeFacts(sql: RowsQuery, write: MergedWrite): Promise<void> {
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
