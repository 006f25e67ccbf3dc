import { TOPICS, envelopeJsonWithData } from '@rtp/contracts';
import { EventRow, OutboxRow } from './ledger-store.port';

export const LEDGER_SOURCE = 'ledger';

/**
 * The message an event row is published as, built from the row alone, so that a publication right
 * after the commit and a re-publication after a crash send the same envelope: keyed by the account
 * whose stream it is, caused by the command that decided it, timed when it was recorded. Its data
 * is the row's canonical JSON as it is (the bytes its hash covers), not serialised again.
 */
export function eventMessage(
  event: Pick<
    EventRow,
    'eventId' | 'accountId' | 'type' | 'commandId' | 'correlationId' | 'dataJson' | 'traceparent'
  >,
  recordedAt: Date,
): OutboxRow {
  return {
    topic: TOPICS.ledgerEvents,
    key: event.accountId,
    messageId: event.eventId,
    messageType: event.type,
    payloadJson: envelopeJsonWithData(
      {
        id: event.eventId,
        type: event.type,
        source: LEDGER_SOURCE,
        time: recordedAt,
        partitionKey: event.accountId,
        correlationId: event.correlationId,
        causationId: event.commandId,
        traceparent: event.traceparent,
      },
      event.dataJson,
    ),
    traceparent: event.traceparent ?? null,
  };
}
