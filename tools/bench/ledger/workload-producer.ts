import { Producer } from 'kafkajs';
import {
  LedgerCommandData,
  LedgerCommandType,
  TOPICS,
  commandIds,
  createEnvelope,
  encodeEnvelope,
} from '@rtp/contracts';
import { WorkloadPlan, paymentId } from './workload-plan';

const SOURCE = 'ledger-bench';
const CURRENCY = 'EUR';
/** Messages per produce request: enough for a fast preload, little enough per partition. */
const SEND_BATCH_MESSAGES = 5_000;
const SEND_TIMEOUT_MS = 60_000;

interface CommandMessage {
  key: string;
  value: Buffer;
}

function command<K extends LedgerCommandType>(
  type: K,
  id: string,
  key: string,
  correlationId: string,
  data: LedgerCommandData<K>,
): CommandMessage {
  const envelope = createEnvelope({
    id,
    type,
    source: SOURCE,
    time: new Date(),
    partitionKey: key,
    correlationId,
    causationId: null,
    data,
  });
  return { key, value: encodeEnvelope(envelope) };
}

function* openAccounts(plan: WorkloadPlan): Generator<CommandMessage> {
  for (const accountId of plan.accountIds) {
    yield command('OpenAccount', commandIds.openAccount(accountId), accountId, accountId, {
      accountId,
      currency: CURRENCY,
      ownerId: `bench-${plan.runId}-owner`,
      name: null,
      metadata: null,
    });
  }
}

function* deposits(plan: WorkloadPlan): Generator<CommandMessage> {
  for (const [index, accountId] of plan.accountIds.entries()) {
    const depositId = `bench-${plan.runId}-deposit-${index}`;
    yield command('Deposit', commandIds.deposit(depositId), accountId, depositId, {
      depositId,
      accountId,
      amountMinor: String(plan.depositsMinor[index]),
      currency: CURRENCY,
      partnerId: 'sandbox',
      reference: 'ledger benchmark funding',
    });
  }
}

function* transfers(plan: WorkloadPlan): Generator<CommandMessage> {
  for (let index = 0; index < plan.sourceIndex.length; index += 1) {
    const id = paymentId(plan, index);
    const sourceAccountId = plan.accountIds[plan.sourceIndex[index]];
    yield command('TransferFunds', commandIds.transferFunds(id), sourceAccountId, id, {
      paymentId: id,
      sourceAccountId,
      destinationAccountId: plan.accountIds[plan.destinationIndex[index]],
      amountMinor: String(plan.amountMinor[index]),
      currency: CURRENCY,
      initiatedBy: `bench-${plan.runId}-owner`,
      reference: null,
      metadata: null,
    });
  }
}

/** Sends in order, in large batches, with acks from all in-sync replicas; returns the count. */
async function sendAll(
  producer: Producer,
  messages: Iterable<CommandMessage>,
  signal: AbortSignal,
): Promise<number> {
  let batch: CommandMessage[] = [];
  let sent = 0;
  const flush = async () => {
    signal.throwIfAborted();
    await producer.sendBatch({
      acks: -1,
      timeout: SEND_TIMEOUT_MS,
      topicMessages: [{ topic: TOPICS.ledgerCommands, messages: batch }],
    });
    sent += batch.length;
    batch = [];
  };
  for (const message of messages) {
    batch.push(message);
    if (batch.length >= SEND_BATCH_MESSAGES) await flush();
  }
  if (batch.length > 0) await flush();
  return sent;
}

/** OpenAccount for every account, then a Deposit for each (same key, so in that order). */
export async function produceSeed(
  producer: Producer,
  plan: WorkloadPlan,
  signal: AbortSignal,
): Promise<number> {
  const opened = await sendAll(producer, openAccounts(plan), signal);
  return opened + (await sendAll(producer, deposits(plan), signal));
}

export async function produceTransfers(
  producer: Producer,
  plan: WorkloadPlan,
  signal: AbortSignal,
): Promise<number> {
  return sendAll(producer, transfers(plan), signal);
}
