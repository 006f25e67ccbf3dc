import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import {
  LedgerCommandType,
  TOPICS,
  commandIds,
  createEnvelope,
  encodeEnvelope,
} from '@rtp/contracts';

/** Sends ledger commands straight to the command topic, as the gateway would, for ledger-level tests. */
export class LedgerCommands {
  constructor(private readonly producer: Producer) {}

  message(id: string, type: LedgerCommandType, key: string, data: Record<string, unknown>) {
    return {
      key,
      value: encodeEnvelope(
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
      ),
    };
  }

  openAccount(accountId: string) {
    return this.message(commandIds.openAccount(accountId), 'OpenAccount', accountId, {
      accountId,
      currency: 'EUR',
      ownerId: 'test-client',
      name: null,
      metadata: null,
    });
  }

  deposit(accountId: string, amountMinor: string, depositId = randomUUID()) {
    return {
      depositId,
      message: this.message(commandIds.deposit(depositId), 'Deposit', accountId, {
        depositId,
        accountId,
        amountMinor,
        currency: 'EUR',
        partnerId: 'sandbox',
        reference: 'test',
      }),
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
