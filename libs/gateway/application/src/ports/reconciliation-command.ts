import { ReconciliationCommand, TOPICS, createEnvelope, reconciliationKey } from '@rtp/contracts';
import { OutgoingCommand } from './outgoing-command';

/** A command for the reconciler (or the partner adapter), keyed by the partner it concerns. */
export function reconciliationCommand(command: {
  id: string;
  partnerId: string;
  time: Date;
  message: ReconciliationCommand;
}): OutgoingCommand {
  const key = reconciliationKey(command.partnerId);
  const envelope = createEnvelope({
    id: command.id,
    type: command.message.type,
    source: 'gateway',
    time: command.time,
    partitionKey: key,
    correlationId: command.id,
    causationId: null,
    data: command.message.data,
  });
  return {
    topic: TOPICS.reconciliationCommands,
    key,
    messageId: command.id,
    messageType: command.message.type,
    payload: envelope as unknown as Record<string, unknown>,
  };
}
