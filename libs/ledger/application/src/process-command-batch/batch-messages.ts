import { Envelope, TOPICS, createEnvelope, deadLetterOf } from '@rtp/contracts';
import { FollowUpCommand } from '@rtp/ledger/domain';
import { CommandMessage } from './command-batch';
import { LEDGER_SOURCE } from './event-message';
import { OutboxRow } from './ledger-store.port';

/** A follow-up command as an outbox row: caused by the command that decided it, timed by its batch. */
export function followUpMessage(followUp: FollowUpCommand, cause: Envelope, time: Date): OutboxRow {
  const envelope = createEnvelope({
    id: followUp.id,
    type: followUp.type,
    source: LEDGER_SOURCE,
    time,
    partitionKey: followUp.key,
    correlationId: cause.correlationid,
    causationId: cause.id,
    traceparent: cause.traceparent,
    data: followUp.data,
  });
  return {
    topic: TOPICS.ledgerCommands,
    key: followUp.key,
    messageId: followUp.id,
    messageType: followUp.type,
    payloadJson: JSON.stringify(envelope),
    traceparent: cause.traceparent ?? null,
  };
}

/** A message that cannot be handled, with the reason, for the dead-letter topic. */
export function deadLetterMessage(
  partition: number,
  original: CommandMessage,
  reason: string,
): OutboxRow {
  const { letter, json } = deadLetterOf(
    {
      topic: TOPICS.ledgerCommands,
      partition,
      offset: original.offset,
      key: original.key,
      value: original.value,
    },
    reason,
  );
  return {
    topic: TOPICS.ledgerDeadLetters,
    key: original.key?.toString('utf8') ?? `partition-${partition}`,
    messageId: letter.id,
    messageType: 'DeadLetter',
    payloadJson: json,
  };
}
