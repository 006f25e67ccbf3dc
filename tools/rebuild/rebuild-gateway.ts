// `npm run rebuild:gateway`: empties the gateway's read models and replays ledger.events.v1, then
// partner.events.v1, into them from the first offset, then reconciliation.events.v1 into the review
// queue's read models, with the same projection code the gateway runs. Run it with the gateway stopped (it takes over the projection's stored positions). Reads
// DATABASE_URL and KAFKA_BROKERS.
import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONSUMER_GROUPS, TOPICS } from '@rtp/contracts';
import { createAppDataSource, migrateSchema } from '@rtp/shared/database';
import { PartitionRunner, createKafka } from '@rtp/shared/kafka';
import {
  GATEWAY_MIGRATIONS_DIRECTORY,
  GatewayProjectionWorker,
  ReconciliationProjectionWorker,
} from '@rtp/gateway/projection';

const CATCH_UP_TIMEOUT_MS = 30 * 60_000;
// gateway.account_settings is not among them: the owners' settings are not derived from events.
const READ_MODELS = [
  'gateway.account_entries',
  'gateway.account_action_outcomes',
  'gateway.payments',
  'gateway.accounts',
  'gateway.payment_status_history',
];
// The payout columns the projection derives from events; the rest of a gateway.payouts row is
// accept-time data (the BIC is in no event), kept, and the replayed PayoutReserved leaves it alone.
const RESET_PAYOUTS =
  'UPDATE gateway.payouts SET bank_reference = NULL, decided = false, escalated_at = NULL';
// The review queue's read models, from reconciliation.events.v1. The operators' actions are the
// command side's (written with their commands): kept, and set back to `sent` for the replayed events
// to mark them again.
const REVIEW_READ_MODELS = [
  'gateway.reconciliation_audit',
  'gateway.reconciliation_proposals',
  'gateway.reconciliation_exceptions',
  'gateway.reconciliation_runs',
  'gateway.matching_rules',
];
const RESET_ACTIONS = `UPDATE gateway.reconciliation_actions
  SET status = 'sent', refusal_code = NULL, refusal_detail = NULL`;
// The ledger's events first, up to their end, then the partner adapter's: every payout then has
// its row before a partner event (pending, bank reference, escalation) is applied to it. The
// review queue's projection has a consumer group (and positions) of its own.
const REPLAYS = [
  { topic: TOPICS.ledgerEvents, group: CONSUMER_GROUPS.gatewayProjections },
  { topic: TOPICS.partnerEvents, group: CONSUMER_GROUPS.gatewayProjections },
  { topic: TOPICS.reconciliationEvents, group: CONSUMER_GROUPS.gatewayReconciliation },
];

/** Emptying the read models needs the schema owner's rights (the service role may not delete). */
async function emptyReadModels(databaseUrl: string): Promise<void> {
  const login = new Client({ connectionString: databaseUrl, application_name: 'gateway-rebuild' });
  await login.connect();
  try {
    await login.query('BEGIN');
    for (const table of [...READ_MODELS, ...REVIEW_READ_MODELS]) {
      await login.query(`DELETE FROM ${table}`);
    }
    await login.query(RESET_PAYOUTS);
    await login.query(RESET_ACTIONS);
    await login.query('DELETE FROM gateway.consumer_offsets WHERE consumer_group = ANY($1)', [
      [CONSUMER_GROUPS.gatewayProjections, CONSUMER_GROUPS.gatewayReconciliation],
    ]);
    await login.query('COMMIT');
  } finally {
    await login.end();
  }
}

/** The projection as the gateway runs it, in a consumer group of its own from the first offset. */
function projectionRunner(projection: DataSource, kafka: Kafka, topic: string): PartitionRunner {
  // The live projection dead-lettered these events when it met them: a rebuild names them again.
  const passOver = async (letters: { id: string; value: Buffer }[]) => {
    for (const letter of letters)
      console.warn(`passed over ${letter.id}, as live: ${letter.value.toString('utf8')}`);
  };
  const worker =
    topic === TOPICS.reconciliationEvents
      ? new ReconciliationProjectionWorker(projection, passOver, (message) => console.warn(message))
      : new GatewayProjectionWorker(projection, passOver, () => undefined);
  return new PartitionRunner({
    kafka,
    groupId: `gateway-rebuild-${randomUUID()}`,
    topics: [topic],
    worker,
    batchSizeMax: 1_000,
    partitionsConsumedConcurrently: 4,
    sessionTimeoutMs: 30_000,
    heartbeatIntervalMs: 3_000,
    fetchWaitMsMax: 100,
    stallAfterMs: 30_000,
    log: (level, message) => console.warn(`${level}: ${message}`),
  });
}

/** Until the projection's stored positions reach the end offsets the topic had at the start. */
async function waitForCatchUp(
  projection: DataSource,
  { topic, group }: { topic: string; group: string },
  ends: { partition: number; high: string }[],
): Promise<void> {
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
  for (;;) {
    const rows = (await projection.query(
      'SELECT partition, next_offset FROM gateway.consumer_offsets WHERE consumer_group = $1 AND topic = $2',
      [group, topic],
    )) as { partition: number; next_offset: string }[];
    const stored = new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
    const behind = ends.reduce(
      (lag, end) => lag + BigInt(end.high) - (stored.get(end.partition) ?? 0n),
      0n,
    );
    if (behind <= 0n) return;
    if (Date.now() > deadline) throw new Error(`still ${behind} events of ${topic} behind`);
    await sleep(250);
  }
}

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  const brokers = process.env.KAFKA_BROKERS;
  if (!databaseUrl || !brokers) {
    console.error('DATABASE_URL and KAFKA_BROKERS must be set');
    return 2;
  }
  const started = Date.now();
  await migrateSchema({
    url: databaseUrl,
    schema: 'gateway',
    migrationsDirectory: GATEWAY_MIGRATIONS_DIRECTORY,
  });
  await emptyReadModels(databaseUrl);
  const projection = createAppDataSource({
    url: databaseUrl,
    schema: 'gateway',
    appRole: 'gateway_app',
    applicationName: 'gateway-rebuild',
    poolSizeMax: 4,
    statementTimeoutMs: 600_000,
    idleInTransactionTimeoutMs: 60_000,
    lockTimeoutMs: 10_000,
  });
  await projection.initialize();
  const kafka = createKafka({
    brokers: brokers.split(','),
    clientId: 'gateway-rebuild',
    connectionTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
  });
  console.log(
    `emptied ${[...READ_MODELS, ...REVIEW_READ_MODELS].join(', ')} and the payouts' projected ` +
      `columns; replaying ${REPLAYS.map(({ topic }) => topic).join(' then ')} from the start`,
  );
  const runners: PartitionRunner[] = [];
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const replay of REPLAYS) {
      const ends = await admin.fetchTopicOffsets(replay.topic);
      const runner = projectionRunner(projection, kafka, replay.topic);
      runners.push(runner);
      await runner.start();
      await waitForCatchUp(projection, replay, ends);
    }
    const counts = await Promise.all(
      [...READ_MODELS, ...REVIEW_READ_MODELS].map(
        async (table) =>
          `${table} ${(await projection.query(`SELECT count(*)::int AS count FROM ${table}`))[0].count}`,
      ),
    );
    console.log(
      `rebuilt in ${((Date.now() - started) / 1_000).toFixed(1)} s: ${counts.join(', ')}`,
    );
    return 0;
  } finally {
    for (const runner of runners) await runner.stop();
    await admin.disconnect();
    await projection.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('rebuild failed:', error);
    process.exit(1);
  },
);
