import { DataSource, EntityManager } from 'typeorm';
import { KafkaMessage } from 'kafkajs';
import {
  CONSUMER_GROUPS,
  PARTNER_STATEMENT_MESSAGE_SCHEMAS,
  TOPICS,
  decodeEnvelope,
  parseLedgerEvent,
  parsePartnerEvent,
  parsePartnerStatementMessage,
  parseReconciliationCommand,
} from '@rtp/contracts';
import { ConsumerPositions, rowsQueryOf } from '@rtp/shared/database';
import { PartitionBatch, PartitionWorker, StoredPosition } from '@rtp/shared/kafka';
import { RecordChange, ledgerRecordChange, partnerRecordChange } from '@rtp/reconciler/application';
import { z } from 'zod';
import { ReconcilerStore } from '../store/reconciler-store';
import { upsertRecords } from './record-rows';
import { handleReviewCommand } from './review-commands';
import { completeStatements, insertChunks, insertHeaders, requestRuns } from './statement-rows';

export interface ReconcilerWorkerOptions {
  partnerIds: readonly string[];
  log: (level: 'warn' | 'error', message: string) => void;
}

type Chunk = z.infer<typeof PARTNER_STATEMENT_MESSAGE_SCHEMAS.StatementEntriesReported>;
type Header = z.infer<typeof PARTNER_STATEMENT_MESSAGE_SCHEMAS.StatementReceived>;

/**
 * Consumes ledger.events.v1 and partner.events.v1 (our records), partner.statements.v1 (the
 * statements, used once complete) and reconciliation.commands.v1 (runs asked for, review
 * actions). Each batch's rows, outbox messages and consumer position are one transaction (a
 * compare-and-set on the position), so a message consumed twice has one effect.
 */
export class ReconcilerWorker implements PartitionWorker {
  private readonly positions = new ConsumerPositions('reconciler', CONSUMER_GROUPS.reconciler);

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ReconcilerStore,
    private readonly options: ReconcilerWorkerOptions,
  ) {}

  acquire(topic: string, partition: number): Promise<StoredPosition> {
    return this.positions.acquire(
      (sql, parameters) => this.dataSource.query(sql, parameters),
      topic,
      partition,
    );
  }

  async process(batch: PartitionBatch): Promise<void> {
    await this.store.commit(async (manager, write) => {
      await this.advance(manager, batch);
      if (batch.topic === TOPICS.partnerStatements) await this.statements(manager, batch.messages);
      else if (batch.topic === TOPICS.reconciliationCommands) {
        for (const message of batch.messages) await this.command(manager, write, message);
      } else await upsertRecords(manager, this.recordChanges(batch));
    });
  }

  release(): void {
    // Nothing is kept in memory.
  }

  private decoded(message: KafkaMessage) {
    const decoded = decodeEnvelope(message.value);
    if (!decoded.ok) this.options.log('warn', `skipped an undecodable message @${message.offset}`);
    return decoded.ok ? decoded.envelope : null;
  }

  private recordChanges(batch: PartitionBatch): RecordChange[] {
    const changes: RecordChange[] = [];
    for (const message of batch.messages) {
      const envelope = this.decoded(message);
      if (!envelope) continue;
      for (const partnerId of this.options.partnerIds) {
        const change =
          batch.topic === TOPICS.ledgerEvents
            ? readLedger(envelope.type, envelope.data, envelope.time, partnerId)
            : readPartner(envelope.type, envelope.data, partnerId);
        if (change) changes.push(change);
      }
    }
    return changes;
  }

  private async statements(manager: EntityManager, messages: KafkaMessage[]): Promise<void> {
    const headers: Header[] = [];
    const chunks: Chunk[] = [];
    for (const message of messages) {
      const envelope = this.decoded(message);
      const parsed = envelope && parsePartnerStatementMessage(envelope.type, envelope.data);
      if (!parsed) {
        this.options.log('error', `skipped an unreadable statement message @${message.offset}`);
      } else if (parsed.type === 'StatementReceived') headers.push(parsed.data);
      else chunks.push(parsed.data);
    }
    await insertHeaders(manager, headers);
    await insertChunks(manager, chunks);
    const touched = [...new Set([...headers, ...chunks].map((item) => item.statementId))];
    const completed = await completeStatements(manager, touched);
    await requestRuns(
      manager,
      completed.map((statement) => ({
        requestId: `statement:${statement.statementId}`,
        partnerId: statement.partnerId,
        date: statement.date,
        trigger: 'statement' as const,
        requestedBy: statement.receivedBy,
      })),
    );
  }

  private async command(
    manager: EntityManager,
    write: Parameters<Parameters<ReconcilerStore['commit']>[0]>[1],
    message: KafkaMessage,
  ): Promise<void> {
    const envelope = this.decoded(message);
    const command = envelope && parseReconciliationCommand(envelope.type, envelope.data);
    if (!command) {
      if (envelope) this.options.log('error', `skipped an invalid ${envelope.type} command`);
      return;
    }
    if (command.type === 'FetchStatement') return; // the partner adapter's
    if (command.type === 'RunReconciliation') {
      const { requestId, partnerId, date, requestedBy } = command.data;
      await requestRuns(manager, [
        { requestId: `on-demand:${requestId}`, partnerId, date, trigger: 'on_demand', requestedBy },
      ]);
      return;
    }
    await handleReviewCommand(manager, write, command, this.options.partnerIds[0]);
  }

  private async advance(manager: EntityManager, batch: PartitionBatch): Promise<void> {
    const fenced = await this.positions.advance(
      rowsQueryOf(manager.queryRunner!),
      [batch],
      new Date(),
    );
    if (fenced.length > 0) {
      throw Object.assign(
        new Error(`reconciler consumer of ${batch.topic}[${fenced.join(', ')}] was fenced`),
        { fencedPartitions: fenced },
      );
    }
  }
}

function readLedger(type: string, data: unknown, time: string, partnerId: string) {
  const event = parseLedgerEvent(type, data);
  return event ? ledgerRecordChange(event, time, partnerId) : null;
}

function readPartner(type: string, data: unknown, partnerId: string) {
  const event = parsePartnerEvent(type, data);
  return event ? partnerRecordChange(event, partnerId) : null;
}
