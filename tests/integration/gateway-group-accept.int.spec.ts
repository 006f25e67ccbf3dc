import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AcceptResult, PaymentAcceptRequest } from '@rtp/gateway/application';
import { ledgerCommand } from '../../libs/gateway/application/src/ports/outgoing-command';
import { createAppDataSource, migrateSchema } from '@rtp/shared/database';
import {
  ResettableProducer,
  createIdempotentProducer,
  createKafka,
  ensureTopics,
} from '@rtp/shared/kafka';
import { GroupPaymentAcceptor } from '../../libs/gateway/infrastructure/src/accept/group-acceptor';
import { CommittedPublisher } from '../../libs/gateway/infrastructure/src/committed-publisher';
import { REPO_ROOT, requireEnv } from '../support/platform';

jest.setTimeout(120_000);

const MIGRATIONS = join(REPO_ROOT, 'libs', 'gateway', 'infrastructure', 'src', 'migrations');
/**
 * A database and a topic of the test's own: its rows are not the projection of any event, so in
 * the shared database they would differ from a rebuild of the read models (gateway-replicas), and
 * its commands name accounts no ledger knows.
 */
const RUN_ID = randomUUID().replaceAll('-', '');
const DATABASE = `group_accept_${RUN_ID}`;
const TOPIC = `test.group-accept.${RUN_ID}`;

/** A transfer request as the handler builds it, with what a test wants to vary. */
function transfer(
  options: {
    key?: string;
    amountMinor?: string;
    currency?: string;
    consent?: PaymentAcceptRequest['creditConsent'];
    clientId?: string;
  } = {},
): PaymentAcceptRequest {
  const paymentId = randomUUID();
  const now = new Date();
  const clientId = options.clientId ?? 'group-test';
  const amountMinor = options.amountMinor ?? '5';
  const data = {
    paymentId,
    sourceAccountId: randomUUID(),
    destinationAccountId: randomUUID(),
    amountMinor,
    currency: options.currency ?? 'EUR',
    initiatedBy: clientId,
  };
  return {
    claim: {
      clientId,
      idempotencyKey: options.key ?? randomUUID(),
      operation: 'transfer',
      fingerprint: `fingerprint-${amountMinor}`,
      expiresAt: new Date(now.getTime() + 3_600_000),
    },
    payment: {
      id: paymentId,
      kind: 'transfer',
      clientId,
      sourceAccountId: data.sourceAccountId,
      destinationAccountId: data.destinationAccountId,
      amountMinor,
      currency: data.currency,
      status: 'processing',
      failureCode: null,
      reference: null,
      metadata: null,
      createdAt: now,
      updatedAt: now,
    },
    command: {
      ...ledgerCommand({
        id: `transfer:${paymentId}`,
        type: 'TransferFunds',
        accountId: data.sourceAccountId,
        correlationId: paymentId,
        time: now,
        data,
      }),
      topic: TOPIC,
    },
    creditConsent: options.consent ?? null,
  };
}

describe('GroupPaymentAcceptor against PostgreSQL and Kafka', () => {
  const server = new Client({ connectionString: requireEnv('DATABASE_URL') });
  let dataSource: DataSource;
  let admin: Admin;
  let producer: ResettableProducer;
  let publisher: CommittedPublisher;
  let acceptor: GroupPaymentAcceptor;
  const failedStatements: string[] = [];

  const settle = (requests: PaymentAcceptRequest[]) =>
    Promise.all(
      requests.map((request) =>
        acceptor.acceptPayment(request).then(
          (result): AcceptResult | { error: string } => result,
          // pg's own error from a prepared statement, TypeORM's QueryFailedError otherwise.
          (error: { code?: string; driverError?: { code?: string } }) => ({
            error: error.code ?? error.driverError?.code ?? '?',
          }),
        ),
      ),
    );
  const storedKeys = async (requests: PaymentAcceptRequest[]) =>
    (await dataSource.query(
      `SELECT idempotency_key, xmin::text AS xid FROM gateway.idempotency_keys
     WHERE idempotency_key = ANY($1)`,
      [requests.map((r) => r.claim.idempotencyKey)],
    )) as { idempotency_key: string; xid: string }[];

  beforeAll(async () => {
    await server.connect();
    await server.query(`CREATE DATABASE ${DATABASE}`);
    const url = new URL(requireEnv('DATABASE_URL'));
    url.pathname = `/${DATABASE}`;
    await migrateSchema({ url: url.href, schema: 'gateway', migrationsDirectory: MIGRATIONS });
    dataSource = createAppDataSource({
      url: url.href,
      schema: 'gateway',
      appRole: 'gateway_app',
      applicationName: 'group-accept-test',
      poolSizeMax: 4,
      statementTimeoutMs: 10_000,
      idleInTransactionTimeoutMs: 5_000,
      lockTimeoutMs: 5_000,
      logSink: (line) => failedStatements.push(line),
    });
    await dataSource.initialize();
    const kafka = createKafka({
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      clientId: 'group-accept-test',
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    });
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [TOPIC], 3);
    producer = new ResettableProducer(() => createIdempotentProducer(kafka));
    publisher = new CommittedPublisher(dataSource, producer, () => undefined);
    acceptor = new GroupPaymentAcceptor(dataSource, publisher, {
      windowMs: 50,
      requestsMax: 8,
      groupsInFlightMax: 1,
    });
  });

  afterAll(async () => {
    await publisher.stop();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [TOPIC] }).catch(() => undefined);
    await admin.disconnect();
    await dataSource.destroy();
    await server.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await server.end();
  });

  describe('when the database refuses the row of one request of a group', () => {
    it('fails that request alone and accepts the others', async () => {
      const good = [transfer(), transfer(), transfer()];
      const tooLong = transfer({ currency: 'EURO' });
      const notPositive = transfer({ amountMinor: '0' });
      const results = await settle([good[0], tooLong, good[1], notPositive, good[2]]);
      expect(results).toEqual([
        { claimed: true },
        { error: '22001' },
        { claimed: true },
        { error: '23514' },
        { claimed: true },
      ]);
      expect(
        (await storedKeys([...good, tooLong, notPositive]))
          .map((row) => row.idempotency_key)
          .sort(),
      ).toEqual(good.map((request) => request.claim.idempotencyKey).sort());
      expect(failedStatements.length).toBeGreaterThan(0);
    });
  });

  describe('when the requests of a group are all fine', () => {
    it('claims their keys in one transaction and marks their commands published', async () => {
      const group = [transfer(), transfer(), transfer(), transfer()];
      expect(await settle(group)).toEqual(group.map(() => ({ claimed: true })));
      expect(new Set((await storedKeys(group)).map((row) => row.xid)).size).toBe(1);
      const ids = group.map((request) => request.command.messageId);
      const unmarked = async () =>
        (
          await dataSource.query(
            `SELECT count(*)::int AS n FROM gateway.outbox
         WHERE message_id = ANY($1) AND published_at IS NULL`,
            [ids],
          )
        )[0].n as number;
      for (let attempt = 0; attempt < 50 && (await unmarked()) > 0; attempt += 1) await sleep(100);
      expect(await unmarked()).toBe(0);
    });
  });

  describe('when one key appears twice in a group', () => {
    it('accepts the first and answers the second as in flight', async () => {
      const key = randomUUID();
      const results = await settle([transfer({ key }), transfer({ key }), transfer()]);
      expect(results).toEqual([
        { claimed: true },
        { claimed: false, inFlight: true },
        { claimed: true },
      ]);
    });

    it('tells both what the key was bound to when it was bound before the group', async () => {
      const key = randomUUID();
      const first = transfer({ key });
      await settle([first]);
      const results = await settle([transfer({ key, amountMinor: '6' }), transfer({ key })]);
      const bound = { claimed: false, inFlight: false, resourceId: first.payment.id };
      expect(results).toEqual([
        { ...bound, fingerprint: 'fingerprint-5' },
        { ...bound, fingerprint: 'fingerprint-5' },
      ]);
    });
  });

  describe('when a credit needs the consent of another client', () => {
    it('stores nothing while the owner does not consent, and accepts once it does', async () => {
      const consent = { accountId: randomUUID(), ownerClientId: 'owner' };
      const refused = transfer({ consent });
      expect(await settle([refused, transfer()])).toEqual([
        { claimed: false, inFlight: false, creditRefused: true },
        { claimed: true },
      ]);
      expect(await storedKeys([refused])).toEqual([]);
      await dataSource.query(
        `INSERT INTO gateway.account_settings (account_id, client_id,
        accepts_credits_from_other_clients, updated_at, updated_by)
        VALUES ($1, $2, true, now(), $2)`,
        [consent.accountId, consent.ownerClientId],
      );
      expect(await settle([transfer({ consent })])).toEqual([{ claimed: true }]);
      const otherOwner = transfer({ consent: { ...consent, ownerClientId: 'someone-else' } });
      expect(await settle([otherOwner])).toEqual([
        { claimed: false, inFlight: false, creditRefused: true },
      ]);
    });
  });
});
