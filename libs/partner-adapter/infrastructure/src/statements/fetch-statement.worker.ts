import { DataSource, EntityManager } from 'typeorm';
import {
  CONSUMER_GROUPS,
  RECONCILIATION_COMMAND_SCHEMAS,
  TOPICS,
  decodeEnvelope,
} from '@rtp/contracts';
import { ConsumerPositions, rowsQueryOf } from '@rtp/shared/database';
import { PartitionBatch, PartitionWorker, StoredPosition } from '@rtp/shared/kafka';
import { PayoutStore } from '../store/payout-store';
import { FetchRequest, PreparedFetch, StatementIngestion } from './statement-ingestion';

/** The FetchStatement commands for our partner in a batch, once per request id. */
export function fetchRequestsOf(batch: PartitionBatch, partnerId: string): FetchRequest[] {
  const requests = new Map<string, FetchRequest>();
  for (const message of batch.messages) {
    const decoded = decodeEnvelope(message.value);
    if (!decoded.ok || decoded.envelope.type !== 'FetchStatement') continue;
    const parsed = RECONCILIATION_COMMAND_SCHEMAS.FetchStatement.safeParse(decoded.envelope.data);
    // The reconciler dead-letters what it cannot read on this topic; the adapter only skips it.
    if (!parsed.success || parsed.data.partnerId !== partnerId) continue;
    if (requests.has(parsed.data.requestId)) continue;
    requests.set(parsed.data.requestId, {
      requestId: parsed.data.requestId,
      date: parsed.data.date,
      requestedBy: parsed.data.requestedBy,
      causationId: decoded.envelope.id,
    });
  }
  return [...requests.values()];
}

/**
 * Consumes reconciliation.commands.v1 for `FetchStatement` (the other commands are the
 * reconciler's): fetches each requested day's statement, then records the fetches, their
 * statements' messages (outbox) and the consumer position in one transaction. A command consumed
 * twice is fetched once: its request id is recorded.
 */
export class FetchStatementWorker implements PartitionWorker {
  private readonly positions = new ConsumerPositions(
    'partner_adapter',
    CONSUMER_GROUPS.partnerAdapter,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PayoutStore,
    private readonly ingestion: StatementIngestion,
    private readonly options: {
      partnerId: string;
      log: (level: 'info' | 'warn' | 'error', message: string) => void;
    },
  ) {}

  acquire(topic: string, partition: number): Promise<StoredPosition> {
    return this.positions.acquire(
      (sql, parameters) => this.dataSource.query(sql, parameters),
      topic,
      partition,
    );
  }

  async process(batch: PartitionBatch): Promise<void> {
    const requests = fetchRequestsOf(batch, this.options.partnerId);
    const done = await this.ingestion.recorded(
      this.dataSource.manager,
      requests.map((request) => request.requestId),
    );
    const at = new Date();
    const prepared: PreparedFetch[] = [];
    for (const request of requests) {
      if (!done.has(request.requestId)) prepared.push(await this.ingestion.prepare(request, at));
    }
    await this.store.commit(async (manager, write) => {
      await this.advance(manager, batch);
      for (const fetch of prepared) {
        if (await this.ingestion.record(manager, write, fetch, at)) this.report(fetch);
      }
    });
  }

  private report(fetch: PreparedFetch): void {
    this.options.log(
      fetch.outcome === 'published' ? 'info' : 'error',
      `FetchStatement ${fetch.request.requestId} (${fetch.request.date}): ${fetch.outcome}, ` +
        `${fetch.entryCount} entries` +
        (fetch.problem ? `: ${JSON.stringify(fetch.problem)}` : ''),
    );
  }

  release(): void {
    // Nothing is kept in memory.
  }

  private async advance(manager: EntityManager, batch: PartitionBatch): Promise<void> {
    const fenced = await this.positions.advance(
      rowsQueryOf(manager.queryRunner!),
      [batch],
      new Date(),
    );
    if (fenced.length > 0) {
      throw Object.assign(
        new Error(`partner adapter consumer of ${batch.topic}[${fenced.join(', ')}] was fenced`),
        { fencedPartitions: fenced },
      );
    }
  }
}

/** One consumer group, two topics: each batch goes to its topic's worker. */
export class TopicWorkers implements PartitionWorker {
  constructor(private readonly workers: Record<string, PartitionWorker>) {}

  private of(topic: string): PartitionWorker {
    const worker = this.workers[topic];
    if (!worker) throw new Error(`no worker for ${topic}`);
    return worker;
  }

  acquire(topic: string, partition: number): Promise<StoredPosition> {
    return this.of(topic).acquire(topic, partition);
  }

  process(batch: PartitionBatch): Promise<void> {
    return this.of(batch.topic).process(batch);
  }

  release(topic: string, partition: number): void {
    this.of(topic).release(topic, partition);
  }
}

export const ADAPTER_TOPICS = [TOPICS.ledgerEvents, TOPICS.reconciliationCommands];
