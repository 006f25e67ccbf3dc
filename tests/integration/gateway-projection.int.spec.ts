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
import { REPO_ROOT, requireEnv } from '../support/platform';

jest.setTimeout(120_000);

const MIGRATIONS = join(REPO_ROOT, 'libs', 'gateway', 'infrastructure', 'src', 'migrations');
/** A database of the test's own: its rows are no projection of the shared topic's events. */
const DATABASE = `gateway_projection_${randomUUID().replaceAll('-', '')}`;
const TOPIC = 'test.ledger-events';
const PAYMENTS = 40;

const balance = (postedMinor: number) => ({
  postedMinor: String(postedMinor),
  pendingMinor: '0',
  availableMinor: String(postedMinor),
});
const opened = (accountId: string): LedgerEvent => ({
  type: 'AccountOpened',
  data: {
    accountId,
    currency: 'EUR',
    ownerId: 'acme',
    name: null,
    metadata: null,
    status: 'active',
    currencyExponent: 2,
    overdraftLimitMinor: '0',
    perDebitLimitMinor: null,
    balance: balance(0),
    accountSequence: 1,
  },
});
const paymentId = (index: number) => `pay-${String(index).padStart(2, '0')}`;
const legs = (index: number, source: string, destination: string) => ({
  paymentId: paymentId(index),
  sourceAccountId: source,
  destinationAccountId: destination,
  amountMinor: '10',
  currency: 'EUR',
});
const debited = (index: number, source: string, destination: string): LedgerEvent => ({
  type: 'TransferDebited',
  data: {
    ...legs(index, source, destination),
    initiatedBy: 'acme',
    reference: `ref-${index}`,
    metadata: null,
    balance: balance(-10 * (index + 1)),
    accountSequence: index + 2,
  },
});
const completed = (index: number, source: string, destination: string): LedgerEvent => ({
  type: 'TransferCompleted',
  data: {
    ...legs(index, source, destination),
    balance: balance(10 * (index + 1)),
    accountSequence: index + 2,
  },
});
const deposit = (accountId: string, accountSequence: number, postedMinor: number): LedgerEvent => ({
  type: 'DepositCompleted',
  data: {
    depositId: `dep-${accountId}-${accountSequence}`,
    accountId,
    amountMinor: '100',
    currency: 'EUR',
    reference: 'top-up',
    balance: balance(postedMinor),
    accountSequence,
  },
});
const frozen = (accountId: string, accountSequence: number): LedgerEvent => ({
  type: 'AccountFrozen',
  data: {
    accountId,
    mode: 'debits',
    freeze: 'debits',
    reasonCode: 'fraud',
    actor: 'ops',
    accountSequence,
  },
});
/** An event with the command that caused it (a freeze's outcome is recorded under it). */
interface Caused {
  event: LedgerEvent;
  causationId: string;
}
const withoutUpdatedAt = (table: Record<string, unknown>[]) =>
  table.map(({ updated_at: _, ...row }) => row);

describe('GatewayProjectionWorker against PostgreSQL', () => {
  const server = new Client({ connectionString: requireEnv('DATABASE_URL') });
  let listener: Client;
  let dataSource: DataSource;
  let worker: GatewayProjectionWorker;
  let databaseUrl: string;
  const notified: string[] = [];
  const offsets = new Map<number, bigint>();

  /** Projects each partition's events as its next batch, all in one transaction. */
  async function project(...partitions: [number, (LedgerEvent | Caused)[]][]): Promise<void> {
    await worker.processMany(
      partitions.map(([partition, events]) => {
        const fromOffset = offsets.get(partition) ?? 0n;
        offsets.set(partition, fromOffset + BigInt(events.length));
        const messages = events.map((item, index) => {
          const { event, causationId } =
            'causationId' in item ? item : { event: item, causationId: null };
          return {
            key: null,
            timestamp: '0',
            attributes: 0,
            headers: {},
            offset: String(fromOffset + BigInt(index)),
            value: encodeEnvelope(
              createEnvelope({
                id: randomUUID(),
                type: event.type,
                source: 'ledger',
                time: new Date(),
                partitionKey: 'key',
                correlationId: 'correlation',
                causationId,
                data: event.data,
              }),
            ),
          } as KafkaMessage;
        });
        return partitionBatch(TOPIC, partition, messages, fromOffset);
      }),
    );
  }
  /** The ids notified since the last call, once each (they are sent at commit). */
  async function takeNotified(): Promise<string[]> {
    await listener.query('SELECT 1');
    await sleep(50);
    told.push(
      ...notified
        .map((payload) => parseOutcomeNotification(payload))
        .flatMap(({ resourceId, payment }) =>
          payment ? [{ resourceId, status: payment.status }] : [],
        ),
    );
    return [
      ...new Set(notified.splice(0).map((payload) => parseOutcomeNotification(payload).resourceId)),
    ].sort();
  }
  const deadLetters: OutboxMessage[] = [];
  let sinkFails = false;
  /** The payment outcomes the notifications told, as takeNotified took them. */
  const told: { resourceId: string; status: string }[] = [];
  /** Waits until `count` of the projection's sessions wait for a lock. */
  async function waitForLockWaits(count: number): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const {
        rows: [{ waiting }],
      } = await server.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
         WHERE datname = $1 AND application_name = 'projection-test' AND wait_event_type = 'Lock'`,
        [DATABASE],
      );
      if (waiting >= count) return;
      await sleep(25);
    }
    throw new Error(`fewer than ${count} sessions came to wait for a lock`);
  }
  const rows = async (sql: string) => (await dataSource.query(sql)) as Record<string, unknown>[];
  const readModels = async () => ({
    accounts: await rows('SELECT * FROM gateway.accounts ORDER BY account_id'),
    payments: await rows('SELECT * FROM gateway.payments ORDER BY payment_id'),
    entries: await rows('SELECT * FROM gateway.account_entries ORDER BY account_id, sequence'),
    outcomes: await rows('SELECT * FROM gateway.account_action_outcomes ORDER BY command_id'),
  });

  beforeAll(async () => {
    await server.connect();
    await server.query(`CREATE DATABASE ${DATABASE}`);
    const url = new URL(requireEnv('DATABASE_URL'));
    url.pathname = `/${DATABASE}`;
    databaseUrl = url.href;
    await migrateSchema({ url: url.href, schema: 'gateway', migrationsDirectory: MIGRATIONS });
    dataSource = createAppDataSource({
      url: url.href,
      schema: 'gateway',
      appRole: 'gateway_app',
      applicationName: 'projection-test',
      poolSizeMax: 4,
      statementTimeoutMs: 10_000,
      idleInTransactionTimeoutMs: 5_000,
      lockTimeoutMs: 5_000,
    });
    await dataSource.initialize();
    listener = new Client({ connectionString: url.href });
    await listener.connect();
    listener.on('notification', (message) => notified.push(message.payload ?? ''));
    await listener.query(`LISTEN ${OUTCOME_CHANNEL}`);
    worker = new GatewayProjectionWorker(
      dataSource,
      async (letters) => {
        if (sinkFails) throw new Error('broker unavailable');
        deadLetters.push(...letters);
      },
      () => undefined,
      'projection-test',
    );
    for (const partition of [0, 1, 2]) await worker.acquire(TOPIC, partition);
  });

  afterAll(async () => {
    await listener.end();
    await dataSource.destroy();
    await server.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await server.end();
  });

  describe('when the legs of many transfers are projected by two transactions at once', () => {
    it('completes every payment without a deadlock and wakes its requests', async () => {
      await project([0, [opened('a')]], [1, [opened('b')]]);
      expect(await takeNotified()).toEqual(['a', 'b']);
      const indexes = [...Array(PAYMENTS).keys()];
      // As accepted: a row per payment, processing.
      await dataSource.query(
        `INSERT INTO gateway.payments (payment_id, kind, client_id, source_account_id,
           destination_account_id, amount_minor, currency, status, created_at, updated_at)
         SELECT id, 'transfer', 'acme', 'a', 'b', 10, 'EUR', 'processing', now(), now()
         FROM unnest($1::text[]) AS id`,
        [indexes.map(paymentId)],
      );
      // A row in the middle held, so that both transactions have locked rows on either side of it
      // when they go on: the debits in one order, the credits in the other, rows locked in event
      // order would deadlock.
      const locker = new Client({ connectionString: databaseUrl });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM gateway.payments WHERE payment_id = $1 FOR UPDATE', [
        paymentId(PAYMENTS / 2),
      ]);
      const both = Promise.allSettled([
        project([0, indexes.map((index) => debited(index, 'a', 'b'))]),
        project([1, [...indexes].reverse().map((index) => completed(index, 'a', 'b'))]),
      ]);
      await waitForLockWaits(2);
      await locker.query('COMMIT');
      await locker.end();
      expect(
        (await both).map((result) =>
          result.status === 'fulfilled' ? 'fulfilled' : String(result.reason),
        ),
      ).toEqual(['fulfilled', 'fulfilled']);
      const { accounts, payments, entries } = await readModels();
      expect(
        Object.fromEntries(
          payments.map((payment) => [
            payment.payment_id,
            [payment.status, payment.client_id, payment.reference],
          ]),
        ),
      ).toEqual(
        Object.fromEntries(
          indexes.map((index) => [paymentId(index), ['completed', 'acme', `ref-${index}`]]),
        ),
      );
      expect(
        accounts.map((account) => [
          account.account_id,
          account.posted_minor,
          account.last_sequence,
        ]),
      ).toEqual([
        ['a', String(-10 * PAYMENTS), String(PAYMENTS + 1)],
        ['b', String(10 * PAYMENTS), String(PAYMENTS + 1)],
      ]);
      expect(entries).toHaveLength(2 * PAYMENTS);
      told.splice(0);
      expect(await takeNotified()).toEqual(['a', 'b', ...indexes.map(paymentId)].sort());
      // Each payment's notification tells its outcome: its request answers without reading it.
      expect(told.map((each) => each.resourceId).sort()).toEqual(indexes.map(paymentId).sort());
      expect(new Set(told.map((each) => each.status))).toEqual(new Set(['completed']));
    });
  });

  describe('when a debit is projected before its credit', () => {
    it("wakes the payment's requests only with the credit, which settles it", async () => {
      await project([0, [debited(PAYMENTS, 'a', 'b')]]);
      expect(await takeNotified()).toEqual(['a']);
      await project([1, [completed(PAYMENTS, 'a', 'b')]]);
      expect(await takeNotified()).toEqual(['b', paymentId(PAYMENTS)]);
    });
  });

  describe('when events already projected are delivered again', () => {
    it("changes no row but the touched payments' update times, and wakes no payment", async () => {
      const before = await readModels();
      await project(
        [0, [debited(3, 'a', 'b'), debited(PAYMENTS, 'a', 'b')]],
        [1, [completed(PAYMENTS, 'a', 'b'), completed(3, 'a', 'b')]],
      );
      const after = await readModels();
      expect(after.accounts).toEqual(before.accounts);
      expect(after.entries).toEqual(before.entries);
      expect(withoutUpdatedAt(after.payments)).toEqual(withoutUpdatedAt(before.payments));
      expect(await takeNotified()).toEqual(['a', 'b']);
    });
  });

  describe('when a freeze is projected with later changes of its account', () => {
    it('records the account as the freeze left it, and moves the row to the latest', async () => {
      await project([2, [opened('c'), deposit('c', 2, 100)]]);
      await project([
        2,
        [
          deposit('c', 3, 200),
          { event: frozen('c', 4), causationId: 'freeze-1' },
          deposit('c', 5, 300),
        ],
      ]);
      const { accounts, outcomes } = await readModels();
      const state = (row: Record<string, unknown> | undefined) =>
        row && [row.status, row.freeze_mode, row.posted_minor, row.last_sequence];
      expect(state(outcomes.find((outcome) => outcome.command_id === 'freeze-1'))).toEqual([
        'frozen',
        'debits',
        '200',
        '4',
      ]);
      expect(state(accounts.find((account) => account.account_id === 'c'))).toEqual([
        'frozen',
        'debits',
        '300',
        '5',
      ]);
      // The deposits are settled by their own events: they are woken too.
      expect(await takeNotified()).toEqual(['c', 'dep-c-2', 'dep-c-3', 'dep-c-5', 'freeze-1']);
    });
  });

  describe('when a message is no event the projection can read', () => {
    const garbage = (offset: bigint): KafkaMessage =>
      ({
        key: Buffer.from('d'),
        value: Buffer.from('{not json'),
        timestamp: '0',
        attributes: 0,
        headers: {},
        offset: String(offset),
      }) as KafkaMessage;
    const positionOf = async (partition: number) =>
      (
        await dataSource.query(
          `SELECT next_offset FROM gateway.consumer_offsets WHERE consumer_group = 'projection-test'
         AND topic = $1 AND partition = $2`,
          [TOPIC, partition],
        )
      )[0]?.next_offset;

    it('sends it to the dead-letter topic with the reason and its bytes, and projects the others', async () => {
      await project([0, [opened('d')]]);
      const from = offsets.get(0)!;
      const before = await positionOf(0);
      sinkFails = true;
      const batch = partitionBatch(TOPIC, 0, [garbage(from)], from);
      // Without the dead letter nothing moves: the position stays where it was.
      await expect(worker.processMany([batch])).rejects.toThrow('broker unavailable');
      expect(await positionOf(0)).toBe(before);
      sinkFails = false;
      await worker.processMany([batch]);
      offsets.set(0, from + 1n);
      expect(await positionOf(0)).toBe(String(from + 1n));
      expect(deadLetters.map((letter) => [letter.topic, letter.messageId])).toEqual([
        ['gateway.projection.dlq.v1', `dead-letter:${TOPIC}:0:${from}`],
      ]);
      const letter = JSON.parse(deadLetters[0].value.toString('utf8'));
      expect(letter).toMatchObject({
        topic: TOPIC,
        partition: 0,
        offset: String(from),
        value: Buffer.from('{not json').toString('base64'),
      });
      expect(letter.reason).toMatch(/json/i);
      // The partition goes on with the next event.
      await project([0, [deposit('d', 2, 100)]]);
      const { accounts } = await readModels();
      expect(accounts.find((account) => account.account_id === 'd')?.posted_minor).toBe('100');
    });
  });
});
