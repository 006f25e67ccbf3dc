import {
  LedgerCommandData,
  LedgerCommandType,
  ReconciliationEventType,
  TOPICS,
  commandIds,
  createEnvelope,
  reconciliationKey,
  RECONCILIATION_EVENT_SCHEMAS,
} from '@rtp/contracts';
import { z } from 'zod';

/** A message for Kafka, stored in the reconciler's outbox in the same transaction as its cause. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  messageId: string;
  messageType: string;
  payload: Record<string, unknown>;
}

export const RECONCILER_SOURCE = 'reconciler';

function message(
  topic: string,
  key: string,
  id: string,
  type: string,
  data: unknown,
  correlationId: string,
  at: Date,
): OutgoingMessage {
  const envelope = createEnvelope({
    id,
    type,
    source: RECONCILER_SOURCE,
    time: at,
    partitionKey: key,
    correlationId,
    causationId: null,
    data,
  });
  return {
    topic,
    key,
    messageId: id,
    messageType: type,
    payload: envelope as unknown as Record<string, unknown>,
  };
}

/**
 * A reconciliation event, keyed by the partner; its id is derived from what it is about, so the
 * same fact published twice is one message. Checked against its contract before it is written.
 */
export function reconciliationEvent<K extends ReconciliationEventType>(
  type: K,
  id: string,
  partnerId: string,
  data: z.infer<(typeof RECONCILIATION_EVENT_SCHEMAS)[K]>,
  correlationId: string,
  at: Date,
): OutgoingMessage {
  const parsed = RECONCILIATION_EVENT_SCHEMAS[type].safeParse(data);
  if (!parsed.success) throw new Error(`reconciler built an invalid ${type}: ${parsed.error}`);
  const key = reconciliationKey(partnerId);
  return message(TOPICS.reconciliationEvents, key, id, type, data, correlationId, at);
}

const LEDGER_COMMAND_IDS = {
  ResolvePayment: (data: LedgerCommandData<'ResolvePayment'>) =>
    commandIds.resolvePayment(data.paymentId),
  BookPartnerDifference: (data: LedgerCommandData<'BookPartnerDifference'>) =>
    commandIds.bookPartnerDifference(data.differenceId),
  ReturnPayout: (data: LedgerCommandData<'ReturnPayout'>) =>
    commandIds.returnPayout(data.paymentId),
};
type SentCommand = keyof typeof LEDGER_COMMAND_IDS;

/** A ledger command under its deterministic id (the ledger's dedupe gives it one effect). */
export function ledgerCommand<K extends SentCommand & LedgerCommandType>(
  type: K,
  data: LedgerCommandData<K>,
  correlationId: string,
  at: Date,
): OutgoingMessage {
  const id = (LEDGER_COMMAND_IDS[type] as (d: LedgerCommandData<K>) => string)(data);
  return message(TOPICS.ledgerCommands, data.accountId, id, type, data, correlationId, at);
}

export const eventIds = {
  runCompleted: (runId: string) => `run-completed:${runId}`,
  exceptionOpened: (exceptionId: string) => `exception-opened:${exceptionId}`,
  exceptionResolved: (exceptionId: string) => `exception-resolved:${exceptionId}`,
  resolvedFromStatement: (paymentId: string) => `resolved-from-statement:${paymentId}`,
  differenceBooked: (differenceId: string) => `difference-booked:${differenceId}`,
  rulesActivated: (digest: string) => `rules-activated:${digest}`,
  action: (type: string, actionId: string) => `${type}:${actionId}`,
};
