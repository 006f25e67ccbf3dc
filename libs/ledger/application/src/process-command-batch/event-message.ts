import { TOPICS, createEnvelope } from '@rtp/contracts';
import { EventRow, OutboxRow } from './ledger-store.port';

export const LEDGER_SOURCE = 'ledger';

/**
 * The message an event row is published as, built from the row alone, so that a publication right
 * after the commit and a re-publication after a crash send the same envelope: keyed by the account
 * whose stream it is, caused by the command that decided it, timed when it was recorded.
 */
export function eventMessage(event: Pick<EventRow, 'eventId' | 'accountId' | 'type' | 'commandId' |
  'correlationId' | 'data'>, recordedAt: Date): OutboxRow {
  return {
    topic: TOPICS.ledgerEvents,
    key: event.accountId,
    messageId: event.eventId,
    messageType: event.type,
    payload: createEnvelope({ id: event.eventId, type: event.type, source: LEDGER_SOURCE, time: recordedAt,
      partitionKey: event.accountId, correlationId: event.correlationId, causationId: event.commandId,
      data: event.data }) as unknown as Record<string, unknown>,
  };
}
