import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Kafka, Producer } from 'kafkajs';
import {
  STATEMENT_CHUNK_ENTRIES,
  StatementEntry,
  TOPICS,
  createEnvelope,
  encodeEnvelope,
  reconciliationKey,
  statementMessageKey,
} from '@rtp/contracts';
import { ReconcilerRuntime, RunReport } from '@rtp/reconciler/infrastructure';
import { createIdempotentProducer, createKafka } from '@rtp/shared/kafka';
import { requireEnv } from './platform';

const BALANCE = { postedMinor: '0', pendingMinor: '0', availableMinor: '0' };

/**
 * The reconciler's runtime in the test process on the real Kafka and PostgreSQL, with a producer
 * of what it consumes (ledger and partner events, statements as the contract publishes them,
 * reconciliation commands) and the database to read its rows. Each fixture reconciles a partner
 * of its own, so suites do not see each other's records.
 */
export class ReconcilerFixture {
  readonly partnerId = `t${randomBytes(4).toString('hex')}`;
  readonly iban = 'DE89370400440532013000';
  readonly reports: RunReport[] = [];
  readonly db = new Client({ connectionString: requireEnv('DATABASE_URL') });
  runtime: ReconcilerRuntime | null = null;
  private readonly kafka: Kafka = createKafka({
    brokers: requireEnv('KAFKA_BROKERS').split(','),
    clientId: 'reconciler-test',
    connectionTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
  });
  private producer: Producer | null = null;

  async start(): Promise<void> {
    await this.db.connect();
    this.producer = createIdempotentProducer(this.kafka);
    await this.producer.connect();
    this.runtime = new ReconcilerRuntime({
      databaseUrl: requireEnv('DATABASE_URL'),
      kafkaBrokers: requireEnv('KAFKA_BROKERS').split(','),
      topicPartitions: 12,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
      stallAfterMs: 60_000,
      partnerIds: [this.partnerId],
      rules: { dateWindowDays: 1, feeTolerancePartnerId: this.partnerId, feeToleranceMinor: 100n },
      schedule: null,
      runPollMs: 100,
      log: (level, message) => {
        if (level !== 'info') console.warn(`[reconciler ${level}] ${message}`);
      },
      onRun: (report) => {
        if (report.partnerId === this.partnerId) this.reports.push(report);
      },
    });
    await this.runtime.start();
  }

  async stop(): Promise<void> {
    await this.runtime?.stop();
    await this.producer?.disconnect();
    await this.db.end();
  }

  private async send(
    topic: string,
    items: { key: string; type: string; id: string; data: unknown; time?: Date }[],
  ) {
    // A statement's chunks are about 200 KB each: one per request stays under the broker's
    // 1 MB record batch limit.
    const batchSize = topic === TOPICS.partnerStatements ? 1 : 5_000;
    for (let start = 0; start < items.length; start += batchSize) {
      const messages = items.slice(start, start + batchSize).map((item) => ({
        key: item.key,
        value: encodeEnvelope(
          createEnvelope({
            id: item.id,
            type: item.type,
            source: 'reconciler-test',
            time: item.time ?? new Date(),
            partitionKey: item.key,
            correlationId: item.id,
            causationId: null,
            data: item.data,
          }),
        ),
      }));
      await this.producer!.send({ topic, acks: -1, messages });
    }
  }

  /** Ledger events of payouts and deposits, as the ledger publishes them (at `time`). */
  async ledgerEvents(events: { type: string; data: Record<string, unknown>; time: Date }[]) {
    await this.send(
      TOPICS.ledgerEvents,
      events.map((event, index) => ({
        key: String(event.data.accountId),
        type: event.type,
        id: `${this.partnerId}:${event.type}:${String(event.data.paymentId ?? event.data.depositId)}:${index}`,
        data: { balance: BALANCE, accountSequence: index + 1, ...event.data },
        time: event.time,
      })),
    );
  }

  async partnerEvents(events: { type: string; data: Record<string, unknown> }[]) {
    await this.send(
      TOPICS.partnerEvents,
      events.map((event, index) => ({
        key: String(event.data.accountId),
        type: event.type,
        id: `${this.partnerId}:${event.type}:${index}`,
        data: event.data,
      })),
    );
  }

  /** A statement as the contract publishes it: the header, then chunks of at most 500 entries. */
  async statement(date: string, entries: StatementEntry[]): Promise<string> {
    const sha = createHash('sha256')
      .update(`${this.partnerId}${date}${entries.length}`)
      .digest('hex');
    const statementId = `stmt:${this.partnerId}:${this.iban}:EUR:${date}:${sha.slice(0, 16)}`;
    const key = statementMessageKey(this.partnerId, this.iban);
    const chunkCount = Math.ceil(entries.length / STATEMENT_CHUNK_ENTRIES);
    const header = {
      statementId,
      partnerId: this.partnerId,
      accountIban: this.iban,
      currency: 'EUR',
      date,
      bankStatementId: `S-${date}`,
      format: 'camt.053.001.08',
      source: 'fetched',
      receivedBy: 'partner-adapter',
      fileSha256: sha,
      openingMinor: '0',
      closingMinor: '0',
      entryCount: entries.length,
      chunkCount,
      at: new Date().toISOString(),
    };
    const chunks = [...Array(chunkCount).keys()].map((chunk) => ({
      key,
      type: 'StatementEntriesReported',
      id: `${statementId}:chunk:${chunk}`,
      data: {
        statementId,
        chunk,
        firstIndex: chunk * STATEMENT_CHUNK_ENTRIES,
        entries: entries.slice(
          chunk * STATEMENT_CHUNK_ENTRIES,
          (chunk + 1) * STATEMENT_CHUNK_ENTRIES,
        ),
      },
    }));
    await this.send(TOPICS.partnerStatements, [
      { key, type: 'StatementReceived', id: `${statementId}:header`, data: header },
      ...chunks,
    ]);
    return statementId;
  }

  /** Bytes as they are, not an envelope of the contract: what a broken producer might send. */
  async raw(topic: string, key: string, value: string): Promise<void> {
    await this.producer!.send({ topic, acks: -1, messages: [{ key, value }] });
  }

  async command(type: string, data: Record<string, unknown>): Promise<void> {
    const id = `${type}:${String(data.actionId ?? data.requestId)}`;
    await this.send(TOPICS.reconciliationCommands, [
      { key: reconciliationKey(this.partnerId), type, id, data },
    ]);
  }

  async count(sql: string, parameters: unknown[] = [this.partnerId]): Promise<number> {
    const { rows } = await this.db.query(sql, parameters);
    return Number(rows[0].n);
  }

  async waitFor<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export function entry(
  reference: string,
  over: Partial<StatementEntry> & { endToEndId?: string | null; transactionId?: string | null },
): StatementEntry {
  const { endToEndId = null, transactionId = null, ...rest } = over;
  const amountMinor = rest.amountMinor ?? '1000';
  return {
    entryReference: reference,
    creditDebit: 'DBIT',
    amountMinor,
    currency: 'EUR',
    bookingDate: rest.bookingDate ?? '2026-03-10',
    valueDate: rest.bookingDate ?? '2026-03-10',
    reversal: false,
    bankTransactionCode: null,
    transactions: [
      {
        endToEndId,
        transactionId,
        amountMinor,
        counterpartyIban: null,
        counterpartyName: null,
        remittanceInformation: null,
        reasonCode: null,
      },
    ],
    ...rest,
  };
}
