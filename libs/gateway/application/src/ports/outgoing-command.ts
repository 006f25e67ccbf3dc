import { LedgerCommandType, TOPICS, createEnvelope } from '@rtp/contracts';

/** A command for the ledger, stored in the gateway's outbox in the same transaction as its cause. */
export interface OutgoingCommand {
  topic: string;
  key: string;
  messageId: string;
  messageType: string;
  payload: Record<string, unknown>;
}

/** A ledger command from the gateway, enveloped and keyed by the account it changes. */
export function ledgerCommand(command: {
  id: string;
  type: LedgerCommandType;
  accountId: string;
  correlationId: string;
  time: Date;
  data: Record<string, unknown>;
}): OutgoingCommand {
  const envelope = createEnvelope({
    id: command.id,
    type: command.type,
    source: 'gateway',
    time: command.time,
    partitionKey: command.accountId,
    correlationId: command.correlationId,
    causationId: null,
    data: command.data,
  });
  return {
    topic: TOPICS.ledgerCommands,
    key: command.accountId,
    messageId: command.id,
    messageType: command.type,
    payload: envelope as unknown as Record<string, unknown>,
  };
}
