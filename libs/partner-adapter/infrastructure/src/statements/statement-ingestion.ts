import { DataSource, EntityManager } from 'typeorm';
import { TOPICS, createEnvelope } from '@rtp/contracts';
import { OutgoingMessage } from '@rtp/partner-adapter/application';
import {
  StatementProblem,
  fileSha256,
  parseStatementFile,
  statementMessages,
} from '@rtp/shared/statements';
import { PayoutStore } from '../store/payout-store';
import { BankStatementSource } from './bank-statement-source';

/** A fetch to do: a FetchStatement command's, or the schedule's (`schedule:<date>`). */
export interface FetchRequest {
  requestId: string;
  date: string;
  requestedBy: string;
  /** The command's envelope id, when a command asked. */
  causationId: string | null;
}

/** What a fetch found, ready to be recorded with its messages in one transaction. */
export interface PreparedFetch {
  request: FetchRequest;
  outcome: 'published' | 'refused' | 'failed';
  format: string | null;
  fileSha256: string | null;
  statementIds: string[];
  entryCount: number;
  problem: StatementProblem | { reason: string } | null;
  messages: OutgoingMessage[];
}

export const ADAPTER_RECEIVER = 'partner-adapter';

/**
 * Fetches the bank's statement of a day, parses and validates it whole (`@rtp/shared/statements`)
 * and records the fetch with all the statement's messages in one transaction: the statement is
 * published whole or not at all, and a request is fetched once (its id is the record's key).
 */
export class StatementIngestion {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PayoutStore,
    private readonly source: BankStatementSource,
    private readonly partnerId: string,
  ) {}

  /** Fetches and parses outside any transaction (the bank may be slow). */
  async prepare(request: FetchRequest, at: Date): Promise<PreparedFetch> {
    const base = {
      request,
      format: null,
      fileSha256: null,
      statementIds: [],
      entryCount: 0,
      messages: [],
    };
    const fetched = await this.source.fetch(request.date);
    if (!fetched.ok) return { ...base, outcome: 'failed', problem: { reason: fetched.reason } };
    const sha256 = fileSha256(fetched.content);
    const parsed = await parseStatementFile(fetched.content, fetched.kind);
    if (!parsed.ok) {
      return { ...base, fileSha256: sha256, outcome: 'refused', problem: parsed.problem };
    }
    const built = statementMessages(parsed.file, fetched.content, {
      partnerId: this.partnerId,
      source: 'fetched',
      receivedBy: ADAPTER_RECEIVER,
      at,
    });
    const messages = built.messages.map(({ messageId, key, message }): OutgoingMessage => ({
      topic: TOPICS.partnerStatements,
      key,
      messageId,
      messageType: message.type,
      payload: createEnvelope({
        id: messageId,
        type: message.type,
        source: ADAPTER_RECEIVER,
        time: at,
        partitionKey: key,
        correlationId: request.requestId,
        causationId: request.causationId,
        data: message.data,
      }) as unknown as Record<string, unknown>,
    }));
    return {
      request,
      outcome: 'published',
      format: parsed.file.format,
      fileSha256: sha256,
      statementIds: built.statementIds,
      entryCount: built.entryCount,
      problem: null,
      messages,
    };
  }

  /** Records the fetch once; its messages go to the outbox only if this is the first record. */
  async record(
    manager: EntityManager,
    write: (messages: OutgoingMessage[]) => Promise<void>,
    prepared: PreparedFetch,
    at: Date,
  ): Promise<boolean> {
    const { request } = prepared;
    const inserted: unknown[] = await manager.query(
      `INSERT INTO partner_adapter.statement_fetches (request_id, partner_id, statement_date,
         requested_by, outcome, format, file_sha256, statement_ids, entry_count, problem, fetched_at)
       VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8::text[], $9, $10::jsonb, $11)
       ON CONFLICT (request_id) DO NOTHING RETURNING request_id`,
      [
        request.requestId,
        this.partnerId,
        request.date,
        request.requestedBy,
        prepared.outcome,
        prepared.format,
        prepared.fileSha256,
        prepared.statementIds,
        prepared.entryCount,
        prepared.problem ? JSON.stringify(prepared.problem) : null,
        at,
      ],
    );
    if (inserted.length === 0) return false;
    await write(prepared.messages);
    return true;
  }

  /** The requests among these already recorded (so not fetched again). */
  async recorded(manager: EntityManager, requestIds: string[]): Promise<Set<string>> {
    if (requestIds.length === 0) return new Set();
    const rows: { request_id: string }[] = await manager.query(
      `SELECT request_id FROM partner_adapter.statement_fetches WHERE request_id = ANY($1::text[])`,
      [requestIds],
    );
    return new Set(rows.map((row) => row.request_id));
  }

  /** One fetch on its own (the schedule): nothing when the request was recorded before. */
  async fetchOnce(request: FetchRequest): Promise<PreparedFetch | null> {
    const done = await this.recorded(this.dataSource.manager, [request.requestId]);
    if (done.size > 0) return null;
    const at = new Date();
    const prepared = await this.prepare(request, at);
    const first = await this.store.commit((manager, write) =>
      this.record(manager, write, prepared, at),
    );
    return first ? prepared : null;
  }
}
