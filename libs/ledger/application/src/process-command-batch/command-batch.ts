import {
  Envelope,
  LedgerCommand,
  commandIds,
  decodeEnvelope,
  parseLedgerCommand,
} from '@rtp/contracts';
import { OutboxRecord, PublishedPosition } from './ledger-store.port';

export interface CommandMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}

export interface CommandBatch {
  partition: number;
  messages: CommandMessage[];
  fromOffset: bigint;
  toOffset: bigint;
  lastMessageIdentity: string;
  /** What the partition published since its position was last recorded (see BatchWrite). */
  published?: PublishedPosition;
}

export interface BatchResult {
  /** The batch's outbox rows, in commit order, to publish now. */
  outbox: OutboxRecord[];
  counts: { applied: number; duplicate: number; dead_letter: number };
}

/** A message decoded into a valid command whose key names the account it changes. */
export interface Accepted {
  envelope: Envelope;
  command: LedgerCommand;
  offset: bigint;
}

/** Why a message cannot be handled at all: it is dead-lettered with this reason. */
export interface Undecodable {
  reason: string;
}

export function parseCommandMessage(message: CommandMessage): Accepted | Undecodable {
  const decoded = decodeEnvelope(message.value);
  if (!decoded.ok) return { reason: decoded.reason };
  const parsed = parseLedgerCommand(decoded.envelope.type, decoded.envelope.data);
  if (!parsed.ok) return { reason: parsed.reason };
  const key = message.key?.toString('utf8');
  if (key !== decoded.envelope.partitionkey || !accountsOf(parsed.command).includes(key)) {
    return { reason: `message key ${key} does not name the account this command changes` };
  }
  // A return has one effect per payout only if it has one command id per payout: the dedupe's.
  const { command } = parsed;
  if (
    command.type === 'ReturnPayout' &&
    decoded.envelope.id !== commandIds.returnPayout(command.data.paymentId)
  ) {
    return {
      reason: `a ReturnPayout must have the id ${commandIds.returnPayout(command.data.paymentId)}`,
    };
  }
  return { envelope: decoded.envelope, command: parsed.command, offset: BigInt(message.offset) };
}

/** The account a command changes: the one its key must name. */
export function accountsOf(command: LedgerCommand): string[] {
  switch (command.type) {
    case 'TransferFunds':
    case 'RefundTransfer':
      return [command.data.sourceAccountId];
    case 'CreditTransfer':
      return [command.data.destinationAccountId];
    default:
      return [command.data.accountId];
  }
}
