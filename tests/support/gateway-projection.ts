import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { LedgerEvent, createEnvelope, encodeEnvelope } from '@rtp/contracts';
import { createAppDataSource, migrateSchema } from '@rtp/shared/database';
import { OutboxMessage, partitionBatch } from '@rtp/shared/kafka';
import { GatewayProjectionWorker, OUTCOME_CHANNEL } from '@rtp/gateway/projection';
import { parseOutcomeNotification } from '../../libs/gateway/infrastructure/src/outcome-notification';
import { Caused } from './gateway-projection-events';
import { REPO_ROOT, requireEnv } from './platform';

const MIGRATIONS = join(REPO_ROOT, 'libs', 'gateway', 'infrastructure', 'src', 'migrations');
export const PROJECTION_TOPIC = 'test.ledger-events';
/** The consumer group, and the application name of the projection's sessions. */
export const PROJECTION_GROUP = 'projection-test';

/** A projection worker on a database of the suite's own, and what it tells and dead-letters. */
export interface ProjectionHarness {
  dataSource: DataSource;
  worker: GatewayProjectionWorker;
  databaseUrl: string;
  database: string;
  /** Where each partition's next batch begins. */
  offsets: Map<number, bigint>;
  deadLetters: OutboxMessage[];
  /** While true, sending dead letters fails as if the broker were down. */
  sinkFails: boolean;
  /** The payment outcomes the notifications told, as takeNotified took them. */
  told: { resourceId: string; status: string }[];
  /** Projects each partition's events as its next batch, all in one transaction. */
  project(...partitions: [number, (LedgerEvent | Caused)[]][]): Promise<void>;
  /** The ids notified since the last call, once each (they are sent at commit). */
  takeNotified(): Promise<string[]>;
  /** Waits until `count` of the projection's sessions wait for a lock. */
  waitForLockWaits(count: number): Promise<void>;
  readModels(): Promise<Record<'accounts' | 'payments' | 'entries' | 'outcomes', Row[]>>;
}

type Row = Record<string, unknown>;

function message(item: LedgerEvent | Caused, offset: bigint): KafkaMessage {
  const { event, causationId } = 'causationId' in item ? item : { event: item, causationId: null };
  const envelope = createEnvelope({
    id: randomUUID(),
    type: event.type,
    source: 'ledger',
    time: new Date(),
    partitionKey: 'key',
    correlationId: 'correlation',
    causationId,
    data: event.data,
  });
  return {
    key: null,
    timestamp: '0',
    attributes: 0,
    headers: {},
    offset: String(offset),
    value: encodeEnvelope(envelope),
  } as KafkaMessage;
}

/** Creates the suite's database and worker before its tests, and drops them after. */
export function useProjectionHarness(): ProjectionHarness {
  const server = new Client({ connectionString: requireEnv('DATABASE_URL') });
  let listener: Client;
  const notified: string[] = [];
  const harness = {
    database: `gateway_projection_${randomUUID().replaceAll('-', '')}`,
    offsets: new Map<number, bigint>(),
    deadLetters: [] as OutboxMessage[],
    sinkFails: false,
    told: [] as { resourceId: string; status: string }[],
  } as ProjectionHarness;
  const rows = async (sql: string) => (await harness.dataSource.query(sql)) as Row[];

  harness.project = async (...partitions) => {
    await harness.worker.processMany(
      partitions.map(([partition, events]) => {
        const fromOffset = harness.offsets.get(partition) ?? 0n;
        harness.offsets.set(partition, fromOffset + BigInt(events.length));
        const messages = events.map((item, index) => message(item, fromOffset + BigInt(index)));
        return partitionBatch(PROJECTION_TOPIC, partition, messages, fromOffset);
      }),
    );
  };
  harness.takeNotified = async () => {
    await listener.query('SELECT 1');
    await sleep(50);
    const parsed = notified.splice(0).map((payload) => parseOutcomeNotification(payload));
    harness.told.push(
      ...parsed.flatMap(({ resourceId, payment }) =>
        payment ? [{ resourceId, status: payment.status }] : [],
      ),
    );
    return [...new Set(parsed.map(({ resourceId }) => resourceId))].sort();
  };
  harness.waitForLockWaits = async (count) => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const {
        rows: [{ waiting }],
      } = await server.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
         WHERE datname = $1 AND application_name = $2 AND wait_event_type = 'Lock'`,
        [harness.database, PROJECTION_GROUP],
      );
      if (waiting >= count) return;
      await sleep(25);
    }
    throw new Error(`fewer than ${count} sessions came to wait for a lock`);
  };
  harness.readModels = async () => ({
    accounts: await rows('SELECT * FROM gateway.accounts ORDER BY account_id'),
    payments: await rows('SELECT * FROM gateway.payments ORDER BY payment_id'),
    entries: await rows('SELECT * FROM gateway.account_entries ORDER BY account_id, sequence'),
    outcomes: await rows('SELECT * FROM gateway.account_action_outcomes ORDER BY command_id'),
  });

  beforeAll(async () => {
    await server.connect();
    await server.query(`CREATE DATABASE ${harness.database}`);
    const url = new URL(requireEnv('DATABASE_URL'));
    url.pathname = `/${harness.database}`;
    harness.databaseUrl = url.href;
    await migrateSchema({ url: url.href, schema: 'gateway', migrationsDirectory: MIGRATIONS });
    harness.dataSource = createAppDataSource({
      url: url.href,
      schema: 'gateway',
      appRole: 'gateway_app',
      applicationName: PROJECTION_GROUP,
      poolSizeMax: 4,
      statementTimeoutMs: 10_000,
      idleInTransactionTimeoutMs: 5_000,
      lockTimeoutMs: 5_000,
    });
    await harness.dataSource.initialize();
    listener = new Client({ connectionString: url.href });
    await listener.connect();
    listener.on('notification', (notification) => notified.push(notification.payload ?? ''));
    await listener.query(`LISTEN ${OUTCOME_CHANNEL}`);
    harness.worker = new GatewayProjectionWorker(
      harness.dataSource,
      async (letters) => {
        if (harness.sinkFails) throw new Error('broker unavailable');
        harness.deadLetters.push(...letters);
      },
      () => undefined,
      PROJECTION_GROUP,
    );
    for (const partition of [0, 1, 2]) await harness.worker.acquire(PROJECTION_TOPIC, partition);
  });

  afterAll(async () => {
    await listener.end();
    await harness.dataSource.destroy();
    await server.query(`DROP DATABASE IF EXISTS ${harness.database} WITH (FORCE)`);
    await server.end();
  });

  return harness;
}
