import {
  FreezeMode,
  LedgerCommandType,
  TOPICS,
  commandIds,
  createEnvelope,
  encodeEnvelope,
} from '@rtp/contracts';
import { BatchResult, CommandBatch, CommandMessage } from './command-batch';

/** A ledger command as a test hands it over: its id, type, key (the account it changes) and data. */
export interface TestCommand {
  id: string;
  type: LedgerCommandType;
  key: string;
  data: object;
}

const EUR = 'EUR';
const PARTNER = 'sandbox';

/** Builders of every command the ledger takes, in EUR through the sandbox partner, for tests. */
export const testCommands = {
  open: (
    accountId: string,
    limits: { overdraftLimitMinor?: string; perDebitLimitMinor?: string } = {},
  ) => ({
    id: commandIds.openAccount(accountId),
    type: 'OpenAccount' as const,
    key: accountId,
    data: { accountId, currency: EUR, ownerId: 'acme', name: null, metadata: null, ...limits },
  }),
  deposit: (depositId: string, accountId: string, amountMinor: string) => ({
    id: commandIds.deposit(depositId),
    type: 'Deposit' as const,
    key: accountId,
    data: { depositId, accountId, amountMinor, currency: EUR, partnerId: PARTNER, reference: 'r' },
  }),
  transfer: (
    paymentId: string,
    sourceAccountId: string,
    destinationAccountId: string,
    amountMinor: string,
  ) => ({
    id: commandIds.transferFunds(paymentId),
    type: 'TransferFunds' as const,
    key: sourceAccountId,
    data: {
      paymentId,
      sourceAccountId,
      destinationAccountId,
      amountMinor,
      currency: EUR,
      initiatedBy: 'acme',
      reference: null,
      metadata: null,
    },
  }),
  reserve: (paymentId: string, accountId: string, amountMinor: string) => ({
    id: commandIds.reservePayout(paymentId),
    type: 'ReservePayout' as const,
    key: accountId,
    data: {
      paymentId,
      accountId,
      amountMinor,
      currency: EUR,
      partnerId: PARTNER,
      initiatedBy: 'acme',
      reference: null,
      beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann' },
      // At most 35 letters and digits, whatever prefix the scenario's ids carry.
      endToEndId: paymentId.replace(/[^A-Za-z0-9]/g, '').slice(-35),
    },
  }),
  settle: (paymentId: string, accountId: string) => ({
    id: commandIds.settlePayout(paymentId),
    type: 'SettlePayout' as const,
    key: accountId,
    data: { paymentId, accountId, partnerReference: `bank:${paymentId}` },
  }),
  release: (paymentId: string, accountId: string) => ({
    id: commandIds.releasePayout(paymentId),
    type: 'ReleasePayout' as const,
    key: accountId,
    data: { paymentId, accountId, reasonCode: 'partner_declined' },
  }),
  returnPayout: (paymentId: string, accountId: string, amountMinor: string) => ({
    id: commandIds.returnPayout(paymentId),
    type: 'ReturnPayout' as const,
    key: accountId,
    data: {
      paymentId,
      accountId,
      amountMinor,
      currency: EUR,
      partnerId: PARTNER,
      partnerReference: `bank:${paymentId}`,
      reasonCode: 'bank_returned_ac04',
    },
  }),
  resolve: (paymentId: string, accountId: string, resolution: 'settle' | 'release') => ({
    id: commandIds.resolvePayment(paymentId),
    type: 'ResolvePayment' as const,
    key: accountId,
    data: { paymentId, accountId, resolution, evidence: 'statement line', actor: 'operator' },
  }),
  adjust: (adjustmentId: string, accountId: string, amountMinor: string) => ({
    id: commandIds.adjust(adjustmentId),
    type: 'Adjust' as const,
    key: accountId,
    data: {
      adjustmentId,
      accountId,
      amountMinor,
      currency: EUR,
      reasonCode: 'correction',
      note: 'n',
      actor: 'operator',
    },
  }),
  partnerDifference: (differenceId: string, accountId: string, amountMinor: string) => ({
    id: commandIds.bookPartnerDifference(differenceId),
    type: 'BookPartnerDifference' as const,
    key: accountId,
    data: {
      differenceId,
      accountId,
      partnerId: PARTNER,
      currency: EUR,
      amountMinor,
      reasonCode: 'bank_fee',
      evidence: 'statement entry',
      actor: 'reconciler',
    },
  }),
  freeze: (accountId: string, mode: FreezeMode, requestId: string) =>
    accountAction('FreezeAccount', accountId, requestId, {
      accountId,
      mode,
      reasonCode: 'review',
      actor: 'operator',
    }),
  unfreeze: (accountId: string, mode: FreezeMode, requestId: string) =>
    accountAction('UnfreezeAccount', accountId, requestId, {
      accountId,
      mode,
      reasonCode: 'cleared',
      actor: 'operator',
    }),
  close: (accountId: string, requestId: string) =>
    accountAction('CloseAccount', accountId, requestId, {
      accountId,
      reasonCode: 'customer_left',
      actor: 'operator',
    }),
} satisfies Record<string, (...args: never[]) => TestCommand>;

function accountAction(
  type: 'FreezeAccount' | 'UnfreezeAccount' | 'CloseAccount',
  accountId: string,
  requestId: string,
  data: object,
): TestCommand {
  return { id: commandIds.accountAction(accountId, type, requestId), type, key: accountId, data };
}

/**
 * Command batches as the worker hands them over: per partition, each batch's offsets following the
 * last one's, starting where `startOffset` says the partition's stored position is.
 */
export class TestCommandFeed {
  private readonly next = new Map<number, bigint>();

  constructor(
    private readonly at: Date,
    private readonly startOffset: (partition: number) => bigint = () => 0n,
  ) {}

  batch(partition: number, ...commands: TestCommand[]): CommandBatch {
    return this.batchOf(
      partition,
      commands.map(({ id, type, key, data }) => ({
        key: Buffer.from(key),
        value: encodeEnvelope(
          createEnvelope({
            id,
            type,
            source: 'test',
            time: this.at,
            partitionKey: key,
            correlationId: id,
            causationId: null,
            data,
          }),
        ),
      })),
    );
  }

  /** The follow-up commands in the results' outboxes, each in a batch of its account's partition. */
  followUps(results: BatchResult[], partitionOf: (accountId: string) => number): CommandBatch[] {
    const byPartition = new Map<number, Omit<CommandMessage, 'offset'>[]>();
    for (const record of results.flatMap(({ outbox }) => outbox)) {
      if (record.topic !== TOPICS.ledgerCommands) continue;
      const partition = partitionOf(record.key);
      const message = { key: Buffer.from(record.key), value: Buffer.from(record.payloadJson) };
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), message]);
    }
    return [...byPartition].map(([partition, messages]) => this.batchOf(partition, messages));
  }

  private batchOf(partition: number, messages: Omit<CommandMessage, 'offset'>[]): CommandBatch {
    const fromOffset = this.next.get(partition) ?? this.startOffset(partition);
    const toOffset = fromOffset + BigInt(messages.length);
    this.next.set(partition, toOffset);
    return {
      partition,
      fromOffset,
      toOffset,
      lastMessageIdentity: 'test',
      messages: messages.map((message, index) => ({
        ...message,
        offset: String(fromOffset + BigInt(index)),
      })),
    };
  }
}
