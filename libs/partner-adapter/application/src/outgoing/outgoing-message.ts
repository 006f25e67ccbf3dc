import { TOPICS, createEnvelope } from '@rtp/contracts';
import { PayoutEffect } from '@rtp/partner-adapter/domain';

/** A message for Kafka, stored in the adapter's outbox in the same transaction as its cause. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  messageId: string;
  messageType: string;
  payload: Record<string, unknown>;
}

export const ADAPTER_SOURCE = 'partner-adapter';

/** A ledger command or a partner event, enveloped and keyed by the account it is about. */
export function outgoingMessage(
  effect:
    PayoutEffect | { kind: 'ledger'; type: string; id: string; data: Record<string, unknown> },
  accountId: string,
  correlationId: string,
  at: Date,
  /** The trace the message continues (the payout's), or none. */
  traceparent: string | null = null,
): OutgoingMessage {
  const topic = effect.kind === 'ledger' ? TOPICS.ledgerCommands : TOPICS.partnerEvents;
  const envelope = createEnvelope({
    id: effect.id,
    type: effect.type,
    source: ADAPTER_SOURCE,
    time: at,
    partitionKey: accountId,
    correlationId,
    causationId: null,
    traceparent,
    data: effect.data,
  });
  return {
    topic,
    key: accountId,
    messageId: effect.id,
    messageType: effect.type,
    payload: envelope as unknown as Record<string, unknown>,
  };
}

/** The messages of a payout decision. */
export function payoutMessages(
  effects: readonly PayoutEffect[],
  accountId: string,
  paymentId: string,
  at: Date,
  traceparent: string | null = null,
): OutgoingMessage[] {
  return effects.map((effect) => outgoingMessage(effect, accountId, paymentId, at, traceparent));
}
