import { DataSource, EntityManager } from 'typeorm';
import { KafkaMessage } from 'kafkajs';
import {
  CONSUMER_GROUPS,
  PARTNER_STATEMENT_MESSAGE_SCHEMAS,
  TOPICS,
  LedgerEvent,
  PartnerEvent,
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
import { Unusable, deadLetterMessage, reconcilerDeadLetters } from './dead-letters';

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
 * compare-and-set on the position), so a message consumed twice has one effect. A message it
 * cannot read (not an envelope, not the contract's) is dead-lettered to reconciler.dlq.v1 in that
 * transaction, counted and logged: never skipped silently, never stopping the partition.
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
    const unusable: Unusable[] = [];
    await this.store.commit(async (manager, write) => {
      unusable.length = 0;
      await this.advance(manager, batch);
      if (batch.topic === TOPICS.partnerStatements) {
        await this.statements(manager, batch.messages, unusable);
      } else if (batch.topic === TOPICS.reconciliationCommands) {
        for (const message of batch.messages) {
          await this.command(manager, write, message, unusable);
        }
      } else await upsertRecords(manager, this.recordChanges(batch, unusable));
      await write(unusable.map((item) => deadLetterMessage(batch.topic, batch.partition, item)));
    });
    for (const { message, reason } of unusable) {
      reconcilerDeadLetters.inc({ topic: batch.topic });
      this.options.log(
        'error',
        `dead-lettered ${batch.topic}[${batch.partition}]@${message.offset} to ` +
          `${TOPICS.reconcilerDeadLetters}: ${reason}`,
      );
    }
  }

  release(): void {
    // Nothing is kept in memory.
  }

  /** The envelope, or null with the message noted as unusable. */
  private decoded(message: KafkaMessage, unusable: Unusable[]) {
    const decoded = decodeEnvelope(message.value);
    if (decoded.ok) return decoded.envelope;
    unusable.push({ message, reason: decoded.reason });
    return null;
  }

  private recordChanges(batch: PartitionBatch, unusable: Unusable[]): RecordChange[] {
    const changes: RecordChange[] = [];
    const ledger = batch.topic === TOPICS.ledgerEvents;
    for (const message of batch.messages) {
      const envelope = this.decoded(message, unusable);
      if (!envelope) continue;
      const event = ledger
        ? parseLedgerEvent(envelope.type, envelope.data)
        : parsePartnerEvent(envelope.type, envelope.data);
      if (!event) {
        unusable.push({ message, reason: notOfContract(envelope.type, batch.topic) });
        continue;
      }
      for (const partnerId of this.options.partnerIds) {
        const change = ledger
          ? ledgerRecordChange(event as LedgerEvent, envelope.time, partnerId)
          : partnerRecordChange(event as PartnerEvent, partnerId);
        if (change) changes.push(change);
      }
    }
    return changes;
  }

  private async statements(
    manager: EntityManager,
    messages: KafkaMessage[],
    unusable: Unusable[],
  ): Promise<void> {
    const headers: Header[] = [];
    const chunks: Chunk[] = [];
    for (const message of messages) {
      const envelope = this.decoded(message, unusable);
      if (!envelope) continue;
      const parsed = parsePartnerStatementMessage(envelope.type, envelope.data);
      if (!parsed) {
        unusable.push({ message, reason: notOfContract(envelope.type, TOPICS.partnerStatements) });
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
    unusable: Unusable[],
  ): Promise<void> {
    const envelope = this.decoded(message, unusable);
    if (!envelope) return;
    const command = parseReconciliationCommand(envelope.type, envelope.data);
    if (!command) {
      unusable.push({
        message,
        reason: notOfContract(envelope.type, TOPICS.reconciliationCommands),
      });
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

const notOfContract = (type: string, topic: string) =>
  `a ${type} message that is not one of ${topic}'s contract (unknown type or invalid data)`;
