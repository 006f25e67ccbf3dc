import { DataSource } from 'typeorm';
import { OutgoingCommand, StatementUpload, StatementUploadStore } from '@rtp/gateway/application';

/** Uploads and their outbox messages on the primary, one transaction per upload. */
export class PostgresStatementUploads implements StatementUploadStore {
  constructor(private readonly primary: DataSource) {}

  async recordUpload(upload: StatementUpload, messages: OutgoingCommand[]) {
    return this.primary.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO gateway.statement_uploads (partner_id, file_sha256, format, uploaded_by,
           statement_ids, entry_count, uploaded_at)
         VALUES ($1, $2, $3, $4, $5::text[], $6, now())
         ON CONFLICT (partner_id, file_sha256) DO NOTHING RETURNING partner_id`,
        [
          upload.partnerId,
          upload.fileSha256,
          upload.format,
          upload.uploadedBy,
          upload.statementIds,
          upload.entryCount,
        ],
      );
      if (inserted.length === 0) {
        const [earlier]: { statement_ids: string[]; entry_count: number }[] = await manager.query(
          `SELECT statement_ids, entry_count FROM gateway.statement_uploads
           WHERE partner_id = $1 AND file_sha256 = $2`,
          [upload.partnerId, upload.fileSha256],
        );
        return {
          created: false,
          statementIds: earlier.statement_ids,
          entryCount: earlier.entry_count,
        };
      }
      await manager.query(
        `INSERT INTO gateway.outbox (topic, message_key, message_id, message_type, payload, created_at)
         SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
         ON CONFLICT (message_id) DO NOTHING`,
        [
          messages.map((m) => m.topic),
          messages.map((m) => m.key),
          messages.map((m) => m.messageId),
          messages.map((m) => m.messageType),
          messages.map((m) => JSON.stringify(m.payload)),
        ],
      );
      return { created: true, statementIds: upload.statementIds, entryCount: upload.entryCount };
    });
  }
}
