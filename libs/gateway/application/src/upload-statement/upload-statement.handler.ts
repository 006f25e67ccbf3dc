import { TOPICS, createEnvelope } from '@rtp/contracts';
import {
  StatementProblem,
  fileSha256,
  parseStatementFile,
  statementMessages,
} from '@rtp/shared/statements';
import type { CommandRelay } from '../ports/outcome-notifications.port';
import type { OutgoingCommand } from '../ports/outgoing-command';

export interface StatementUpload {
  partnerId: string;
  fileSha256: string;
  format: string;
  uploadedBy: string;
  statementIds: string[];
  entryCount: number;
}

/** The uploads, once per partner and file: the first records it with its messages (one transaction). */
export interface StatementUploadStore {
  recordUpload(
    upload: StatementUpload,
    messages: OutgoingCommand[],
  ): Promise<{ created: boolean; statementIds: string[]; entryCount: number }>;
}

export type UploadStatementResult =
  | { ok: true; created: boolean; statementIds: string[]; entryCount: number }
  | { ok: false; problem: StatementProblem };

/**
 * `POST /v1/admin/statements`: a statement of a bank we do not fetch from, uploaded by an admin.
 * Parsed and validated whole (`@rtp/shared/statements`); its messages are queued in the gateway's
 * outbox with the upload's record in one transaction: published whole or not at all, and the same
 * file again answers the same statement ids without publishing anything.
 */
export class UploadStatementHandler {
  constructor(
    private readonly store: StatementUploadStore,
    private readonly relay: CommandRelay,
    private readonly clock: { now(): Date },
  ) {}

  async execute(input: {
    partnerId: string;
    content: string;
    kind: 'xml' | 'csv';
    actor: string;
  }): Promise<UploadStatementResult> {
    const parsed = await parseStatementFile(input.content, input.kind);
    if (!parsed.ok) return parsed;
    const at = this.clock.now();
    const built = statementMessages(parsed.file, input.content, {
      partnerId: input.partnerId,
      source: 'uploaded',
      receivedBy: input.actor,
      at,
    });
    const messages = built.messages.map(({ messageId, key, message }): OutgoingCommand => ({
      topic: TOPICS.partnerStatements,
      key,
      messageId,
      messageType: message.type,
      payload: createEnvelope({
        id: messageId,
        type: message.type,
        source: 'gateway',
        time: at,
        partitionKey: key,
        correlationId: built.statementIds[0] ?? messageId,
        causationId: null,
        data: message.data,
      }) as unknown as Record<string, unknown>,
    }));
    const recorded = await this.store.recordUpload(
      {
        partnerId: input.partnerId,
        fileSha256: fileSha256(input.content),
        format: parsed.file.format,
        uploadedBy: input.actor,
        statementIds: built.statementIds,
        entryCount: built.entryCount,
      },
      messages,
    );
    if (recorded.created) await this.relay.flush();
    return { ok: true, ...recorded };
  }
}
