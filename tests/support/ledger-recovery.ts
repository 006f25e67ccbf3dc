import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, Producer } from 'kafkajs';
import { TOPICS } from '@rtp/contracts';
import { GatewayClient } from './http-client';
import { connectProducer } from './ledger-commands';
import { LedgerDatabase } from './ledger-database';
import { Platform } from './platform';

export interface RecoveryAccount {
  id: string;
}

/** Each account is funded with this much on start. */
export const RECOVERY_FUNDING_MINOR = 100_000n;

/**
 * A ledger and a gateway running, with ten accounts of one API client funded through the gateway,
 * a producer straight to the command topic and the ledger's database: what the ledger's recovery
 * and integrity scenarios start from.
 */
export class LedgerRecoveryFixture {
  readonly platform = new Platform();
  readonly database = new LedgerDatabase();
  kafka!: Kafka;
  producer!: Producer;
  client!: GatewayClient;
  accounts: RecoveryAccount[] = [];

  async start(clientId: string, accountCount = 10): Promise<void> {
    await this.database.connect();
    ({ kafka: this.kafka, producer: this.producer } = await connectProducer(clientId));
    await this.platform.start('ledger');
    await this.platform.start('gateway');
    const admin = new GatewayClient(this.platform.gatewayUrl(), this.platform.adminApiKey);
    const created = await admin.post<{ apiKey: string }>('/v1/admin/clients', { name: clientId });
    this.client = admin.withKey(created.body.apiKey);
    for (let index = 0; index < accountCount; index += 1) {
      const account = (
        await this.client.post<RecoveryAccount>(
          '/v1/accounts',
          { currency: 'EUR' },
          { prefer: 'wait=10' },
        )
      ).body;
      await admin.post(
        '/v1/admin/deposits',
        {
          accountId: account.id,
          amount: RECOVERY_FUNDING_MINOR.toString(),
          currency: 'EUR',
          reference: 'funding',
        },
        { 'idempotency-key': randomUUID(), prefer: 'wait=10' },
      );
      this.accounts.push(account);
    }
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await this.platform.stopAll();
    await this.database.end();
  }

  /** A payment of 5 from account `index` to the next one, accepted asynchronously; its id. */
  async pay(index: number): Promise<string> {
    const { accounts } = this;
    const response = await this.client.post<{ id: string }>(
      '/v1/payments',
      {
        sourceAccountId: accounts[index % accounts.length].id,
        destinationAccountId: accounts[(index + 1) % accounts.length].id,
        amount: '5',
        currency: 'EUR',
      },
      { 'idempotency-key': randomUUID(), prefer: 'respond-async' },
    );
    return response.body.id;
  }

  /** The terminal outcomes the ledger recorded for the payments, once all have one or time is up. */
  async allTerminal(ids: string[], timeoutMs: number): Promise<Map<string, string[]>> {
    const deadline = Date.now() + timeoutMs;
    let outcomes = await this.database.terminalOutcomes(ids);
    while (outcomes.size < ids.length && Date.now() < deadline) {
      await sleep(500);
      outcomes = await this.database.terminalOutcomes(ids);
    }
    return outcomes;
  }

  /** The posted balance of an account, as its ledger row stores it. */
  async posted(accountId: string): Promise<bigint> {
    const [row] = await this.database.rows<{ posted_minor: string }>(
      'SELECT posted_minor FROM ledger.accounts WHERE account_id = $1',
      [accountId],
    );
    return BigInt(row.posted_minor);
  }

  /** How many commands the consumer group has not stored a position past yet, over all partitions. */
  async lagOf(groupId: string): Promise<bigint> {
    const kafkaAdmin = this.kafka.admin();
    await kafkaAdmin.connect();
    try {
      const ends = await kafkaAdmin.fetchTopicOffsets(TOPICS.ledgerCommands);
      const rows = await this.database.rows<{ partition: number; next_offset: string }>(
        `SELECT partition, next_offset FROM ledger.consumer_offsets
         WHERE consumer_group = $1 AND topic = $2`,
        [groupId, TOPICS.ledgerCommands],
      );
      const stored = new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
      return ends.reduce(
        (lag, end) => lag + BigInt(end.high) - (stored.get(end.partition) ?? 0n),
        0n,
      );
    } finally {
      await kafkaAdmin.disconnect();
    }
  }
}
