import { createHash } from 'node:crypto';
import {
  PARTNER_STATEMENT_MESSAGE_SCHEMAS,
  PartnerStatementMessage,
  STATEMENT_CHUNK_ENTRIES,
  statementMessageKey,
} from '@rtp/contracts';
import { ParsedStatementFile } from './statement-file';

export const fileSha256 = (content: string) =>
  createHash('sha256').update(content, 'utf8').digest('hex');

export interface StatementOrigin {
  partnerId: string;
  source: 'fetched' | 'uploaded';
  /** The admin actor who uploaded it, or `partner-adapter`. */
  receivedBy: string;
  at: Date;
}

/** One message to publish on `partner.statements.v1`, with its deterministic id. */
export interface StatementMessage {
  messageId: string;
  key: string;
  message: PartnerStatementMessage;
}

export interface StatementMessages {
  statementIds: string[];
  entryCount: number;
  messages: StatementMessage[];
}

export const statementIdOf = (
  partnerId: string,
  statement: { accountIban: string; currency: string; date: string },
  sha256: string,
) =>
  `stmt:${partnerId}:${statement.accountIban}:${statement.currency}:${statement.date}:` +
  sha256.slice(0, 16);

/**
 * Each statement of a file as its header and its entry chunks, in order, ids derived from the
 * file's digest: the same file again gives the same ids and messages (a duplicate to consumers).
 * The caller publishes all of them in one outbox transaction. Each message is checked against
 * its contract: one that does not fit is a bug, not a refusal.
 */
export function statementMessages(
  file: ParsedStatementFile,
  content: string,
  origin: StatementOrigin,
): StatementMessages {
  const sha256 = fileSha256(content);
  const messages: StatementMessage[] = [];
  const statementIds: string[] = [];
  let entryCount = 0;
  for (const statement of file.statements) {
    const statementId = statementIdOf(origin.partnerId, statement, sha256);
    const key = statementMessageKey(origin.partnerId, statement.accountIban);
    const chunkCount = Math.ceil(statement.entries.length / STATEMENT_CHUNK_ENTRIES);
    statementIds.push(statementId);
    entryCount += statement.entries.length;
    const header = PARTNER_STATEMENT_MESSAGE_SCHEMAS.StatementReceived.parse({
      statementId,
      partnerId: origin.partnerId,
      accountIban: statement.accountIban,
      currency: statement.currency,
      date: statement.date,
      bankStatementId: statement.bankStatementId,
      format: file.format,
      source: origin.source,
      receivedBy: origin.receivedBy,
      fileSha256: sha256,
      openingMinor: statement.openingMinor.toString(),
      closingMinor: statement.closingMinor.toString(),
      entryCount: statement.entries.length,
      chunkCount,
      at: origin.at.toISOString(),
    });
    messages.push({
      messageId: `${statementId}:received`,
      key,
      message: { type: 'StatementReceived', data: header },
    });
    for (let chunk = 0; chunk < chunkCount; chunk += 1) {
      const firstIndex = chunk * STATEMENT_CHUNK_ENTRIES;
      const entries = statement.entries.slice(firstIndex, firstIndex + STATEMENT_CHUNK_ENTRIES);
      messages.push({
        messageId: `${statementId}:entries:${chunk}`,
        key,
        message: {
          type: 'StatementEntriesReported',
          data: { statementId, chunk, firstIndex, entries },
        },
      });
    }
  }
  return { statementIds, entryCount, messages };
}
