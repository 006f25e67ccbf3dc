import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, Producer } from 'kafkajs';
import {
  BankSide,
  LedgerSide,
  ReconciliationEventType,
  TOPICS,
  createEnvelope,
  encodeEnvelope,
  parseReconciliationCommand,
  parseReconciliationEvent,
  reconciliationKey,
} from '@rtp/contracts';
import { createIdempotentProducer, createKafka } from '@rtp/shared/kafka';
import { requireEnv } from './platform';

export interface SeenCommand {
  key: string;
  id: string;
  type: string;
  data: Record<string, any>;
}

/**
 * Stands in for the reconciler in the gateway's review tests: it publishes the contract's
 * reconciliation events (each checked against its schema first) and reads the commands the
 * gateway sends on reconciliation.commands.v1. With `respond`, it answers them as the reconciler
 * would: a proposal (its id is the action's), maker-checker on approval, a decline, a dismissal.
 */
export class FakeReconciler {
  readonly run = randomUUID().slice(0, 8);
  readonly partnerId = `review-${this.run}`;
  readonly seen: SeenCommand[] = [];
  /** Every event this fake published, with its envelope id, in order. */
  readonly published: { id: string; type: string; data: Record<string, unknown> }[] = [];
  private readonly kafka: Kafka = createKafka({
    brokers: requireEnv('KAFKA_BROKERS').split(','),
    clientId: `fake-reconciler-${this.run}`,
    connectionTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
  });
  private producer: Producer | null = null;
  private consumer: Consumer | null = null;
  private readonly proposals = new Map<
    string,
    { actor: string; resolution: string; note: string }
  >();
  private exceptions = 0;

  constructor(private readonly respond: boolean) {}

  async start(): Promise<void> {
    this.producer = createIdempotentProducer(this.kafka);
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: `fake-reconciler-${this.run}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [TOPICS.reconciliationCommands], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const text = message.value?.toString('utf8') ?? '';
        if (!text.includes(this.run)) return;
        const envelope = JSON.parse(text);
        const command = parseReconciliationCommand(envelope.type, envelope.data);
        if (!command) throw new Error(`the gateway sent a command off contract: ${text}`);
        this.seen.push({
          key: message.key!.toString('utf8'),
          id: envelope.id,
          type: envelope.type,
          data: envelope.data,
        });
        if (this.respond) await this.answer(envelope.type, envelope.data);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  /** Publishes one event of the contract (refused here first if it is not), keyed by the partner. */
  async publish(
    type: ReconciliationEventType,
    data: Record<string, unknown>,
    id = `${type}:${randomUUID()}`,
  ): Promise<string> {
    if (!parseReconciliationEvent(type, data)) {
      throw new Error(`${type} is off contract: ${JSON.stringify(data)}`);
    }
    const key = reconciliationKey(this.partnerId);
    const value = encodeEnvelope(
      createEnvelope({
        id,
        type,
        source: 'reconciler',
        time: new Date(),
        partitionKey: key,
        correlationId: id,
        causationId: null,
        data,
      }),
    );
    this.published.push({ id, type, data });
    await this.producer!.send({
      topic: TOPICS.reconciliationEvents,
      acks: -1,
      messages: [{ key, value }],
    });
    return id;
  }

  /** Bytes as they are (poison: not JSON, or off contract), keyed by the partner. */
  async publishRaw(value: string): Promise<void> {
    const key = reconciliationKey(this.partnerId);
    await this.producer!.send({
      topic: TOPICS.reconciliationEvents,
      acks: -1,
      messages: [{ key, value }],
    });
  }

  /** The dead letters of this partner's events the gateway's projection passed over. */
  async deadLetters(count: number, timeoutMs = 15_000): Promise<{ reason: string }[]> {
    const letters: { reason: string }[] = [];
    const consumer = this.kafka.consumer({ groupId: `fake-reconciler-dlq-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPICS.projectionDeadLetters], fromBeginning: true });
    const key = reconciliationKey(this.partnerId);
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString('utf8') !== key) return;
        letters.push(JSON.parse(message.value!.toString('utf8')));
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (letters.length < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await consumer.disconnect();
    return letters;
  }

  /** An amount mismatch (the bank booked 25 cents less: a fee) unless `overrides` says otherwise. */
  async openException(overrides: Record<string, unknown> = {}): Promise<string> {
    this.exceptions += 1;
    const exceptionId = `exc:${this.run}:${this.exceptions}`;
    const paymentId = `pay-${this.run}-${this.exceptions}`;
    const endToEndId = `E2E${this.run}${this.exceptions}`;
    const ledgerSide: LedgerSide = {
      kind: 'payout',
      recordId: paymentId,
      accountId: `acc-${this.run}`,
      creditDebit: 'DBIT',
      amountMinor: '125000',
      currency: 'EUR',
      status: 'completed',
      endToEndId,
      bankTransactionId: `TX-${this.run}-${this.exceptions}`,
      date: '2026-11-30',
    };
    const bankSide: BankSide = {
      statementId: `stmt-${this.run}-2026-11-30`,
      entryReference: `NTRY-${this.run}-${this.exceptions}`,
      creditDebit: 'DBIT',
      amountMinor: '124975',
      currency: 'EUR',
      bookingDate: '2026-11-30',
      reversal: false,
      endToEndId,
      transactionId: `TX-${this.run}-${this.exceptions}`,
      reasonCode: null,
    };
    await this.publish('ExceptionOpened', {
      exceptionId,
      runId: `run-${this.run}`,
      partnerId: this.partnerId,
      class: 'amount_mismatch',
      currency: 'EUR',
      amountAtRiskMinor: '25',
      date: '2026-11-30',
      ledgerSide: [ledgerSide],
      bankSide: [bankSide],
      acceptBankEffect: 'Book the difference of 0.25 EUR as a partner fee (BookPartnerDifference)',
      detectedAt: new Date().toISOString(),
      ...overrides,
    });
    return exceptionId;
  }

  /** The commands seen so far of `type`, or waits up to `timeoutMs` for one `matching`. */
  async command(
    type: string,
    matching: (command: SeenCommand) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<SeenCommand> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.seen.find((each) => each.type === type && matching(each));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${type} command within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async answer(type: string, data: Record<string, any>): Promise<void> {
    const at = new Date().toISOString();
    const { exceptionId, actionId, actor } = data;
    if (type === 'ProposeResolution' && String(data.note).startsWith('refuse:')) {
      await this.publish('ExceptionActionRefused', {
        ...{ exceptionId, actionId, actor, code: 'not_open', detail: 'refused: not_open', at },
      });
      return;
    }
    if (type === 'ProposeResolution') {
      const requiresApproval = data.resolution === 'accept_bank';
      this.proposals.set(actionId, { actor, resolution: data.resolution, note: data.note });
      const { resolution, note } = data;
      await this.publish('ExceptionResolutionProposed', {
        ...{ exceptionId, proposalId: actionId, resolution, note, actor, requiresApproval, at },
      });
      if (!requiresApproval) await this.resolved(exceptionId, actionId, null, null);
      return;
    }
    const proposal = this.proposals.get(data.proposalId);
    if (type === 'ApproveResolution' || type === 'DeclineResolution') {
      if (!proposal || proposal.actor === actor) {
        const code = proposal ? 'same_actor' : 'no_proposal';
        await this.publish('ExceptionActionRefused', {
          ...{ exceptionId, actionId, actor, code, detail: `refused: ${code}`, at },
        });
        return;
      }
      if (type === 'DeclineResolution') {
        await this.publish('ExceptionResolutionDeclined', {
          ...{ exceptionId, proposalId: data.proposalId, actor, note: data.note, at },
        });
        return;
      }
      const ledgerCommandId = `book-difference:${exceptionId}`;
      await this.publish('ExceptionResolutionApproved', {
        ...{ exceptionId, proposalId: data.proposalId, actor, ledgerCommandId, at },
      });
      await this.resolved(exceptionId, data.proposalId, actor, ledgerCommandId);
    }
  }

  private async resolved(
    exceptionId: string,
    proposalId: string,
    approvedBy: string | null,
    ledgerCommandId: string | null,
  ): Promise<void> {
    const proposal = this.proposals.get(proposalId)!;
    await this.publish('ExceptionResolved', {
      exceptionId,
      resolution: proposal.resolution,
      note: proposal.note,
      resolvedBy: proposal.actor,
      approvedBy,
      ledgerCommandId,
      at: new Date().toISOString(),
    });
  }
}
