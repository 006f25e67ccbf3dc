import { randomUUID } from 'node:crypto';
import { Kafka, KafkaMessage, Producer } from 'kafkajs';
import {
  LedgerCommandType,
  TOPICS,
  commandIds,
  payoutEndToEndId,
  createEnvelope,
  encodeEnvelope,
} from '@rtp/contracts';
import { createIdempotentProducer, createKafka } from '@rtp/shared/kafka';
import { requireEnv } from './platform';

/** A command's envelope as the gateway would encode it (the type is not checked: poison is welcome). */
export function commandValue(id: string, type: string, key: string, data: unknown): Buffer {
  return encodeEnvelope(
    createEnvelope({
      id,
      type,
      source: 'test',
      time: new Date(),
      partitionKey: key,
      correlationId: id,
      causationId: null,
      data,
    }),
  );
}

/** A command as kafkajs hands it to the ledger's worker, at `offset` of its partition. */
export function commandMessage(
  id: string,
  type: string,
  key: string,
  data: unknown,
  offset: number,
): KafkaMessage {
  return {
    offset: String(offset),
    key: Buffer.from(key),
    value: commandValue(id, type, key, data),
    timestamp: '0',
    attributes: 0,
    headers: {},
  } as KafkaMessage;
}

export const openAccountData = (accountId: string) => ({
  accountId,
  currency: 'EUR',
  ownerId: 'test-client',
  name: null,
  metadata: null,
});

export const depositData = (depositId: string, accountId: string, amountMinor: string) => ({
  depositId,
  accountId,
  amountMinor,
  currency: 'EUR',
  partnerId: 'sandbox',
  reference: 'test',
});

export const openAccountMessage = (accountId: string, offset: number): KafkaMessage =>
  commandMessage(
    commandIds.openAccount(accountId),
    'OpenAccount',
    accountId,
    openAccountData(accountId),
    offset,
  );

export const depositMessage = (
  depositId: string,
  accountId: string,
  amountMinor: string,
  offset: number,
): KafkaMessage =>
  commandMessage(
    commandIds.deposit(depositId),
    'Deposit',
    accountId,
    depositData(depositId, accountId, amountMinor),
    offset,
  );

/** A Kafka client and a connected idempotent producer of the test's own, as `clientId`. */
export async function connectProducer(
  clientId: string,
): Promise<{ kafka: Kafka; producer: Producer }> {
  const kafka = createKafka({
    brokers: requireEnv('KAFKA_BROKERS').split(','),
    clientId,
    connectionTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
  });
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  return { kafka, producer };
}

/** Sends ledger commands straight to the command topic, as the gateway would, for ledger-level tests. */
export class LedgerCommands {
  constructor(private readonly producer: Producer) {}

  message(id: string, type: LedgerCommandType, key: string, data: Record<string, unknown>) {
    return { key, value: commandValue(id, type, key, data) };
  }

  openAccount(accountId: string) {
    return this.message(
      commandIds.openAccount(accountId),
      'OpenAccount',
      accountId,
      openAccountData(accountId),
    );
  }

  deposit(accountId: string, amountMinor: string, depositId = randomUUID()) {
    const data = depositData(depositId, accountId, amountMinor);
    return {
      depositId,
      message: this.message(commandIds.deposit(depositId), 'Deposit', accountId, data),
    };
  }

  transfer(
    sourceAccountId: string,
    destinationAccountId: string,
    amountMinor: string,
    paymentId = randomUUID(),
  ) {
    return {
      paymentId,
      message: this.message(commandIds.transferFunds(paymentId), 'TransferFunds', sourceAccountId, {
        paymentId,
        sourceAccountId,
        destinationAccountId,
        amountMinor,
        currency: 'EUR',
        initiatedBy: 'test-client',
        reference: null,
        metadata: null,
      }),
    };
  }

  /** A payout held and settled at once: money leaves through the partner's settlement shard. */
  payout(accountId: string, amountMinor: string, paymentId = randomUUID()) {
    return {
      paymentId,
      messages: [
        this.message(commandIds.reservePayout(paymentId), 'ReservePayout', accountId, {
          paymentId,
          accountId,
          amountMinor,
          currency: 'EUR',
          partnerId: 'sandbox',
          initiatedBy: 'test-client',
          reference: null,
          beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann' },
          endToEndId: payoutEndToEndId(paymentId),
        }),
        this.message(commandIds.settlePayout(paymentId), 'SettlePayout', accountId, {
          paymentId,
          accountId,
          partnerReference: 'test',
        }),
      ],
    };
  }

  async send(messages: { key: string; value: Buffer }[]): Promise<void> {
    await this.producer.send({ topic: TOPICS.ledgerCommands, acks: -1, messages });
  }
}
