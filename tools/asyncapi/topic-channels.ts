import { z } from 'zod';
import {
  LEDGER_COMMAND_SCHEMAS,
  LEDGER_EVENT_SCHEMAS,
  PARTNER_EVENT_SCHEMAS,
  PARTNER_STATEMENT_MESSAGE_SCHEMAS,
  RECONCILIATION_COMMAND_SCHEMAS,
  RECONCILIATION_EVENT_SCHEMAS,
  TOPICS,
  TopicName,
  reconciliationKey,
  statementMessageKey,
} from '@rtp/contracts';

/**
 * The enveloped topics besides payments.events.v1 (whose examples come from the projection's own
 * code) and the dead-letter topics: what each carries, how it is keyed, who publishes it.
 */
export interface EnvelopeChannel {
  id: string;
  address: TopicName;
  description: string;
  key: string;
  publishers: string;
  /** Message names are `<messagePrefix><type>`, data schemas `<schemaPrefix><type>Data`. */
  messagePrefix: string;
  schemaPrefix: string;
  schemas: Record<string, z.ZodType>;
  /** The envelope `source` of the examples, and their id prefix. */
  source: string;
  idPrefix: string;
  keyOf: (type: string, data: Record<string, unknown>) => string;
}

const EXACTLY_ONCE =
  "A message can be delivered twice (a crash between the broker's answer and the outbox mark): " +
  'consume it idempotently by its id (also the `ce-id` header).';
const accountKey = (type: string, data: Record<string, unknown>) =>
  String(
    data.accountId ??
      (type === 'CreditTransfer' ? data.destinationAccountId : data.sourceAccountId) ??
      data.destinationAccountId,
  );
const SANDBOX_STATEMENT_KEY = statementMessageKey('sandbox', 'DE89370400440532013000');

export const ENVELOPE_CHANNELS: EnvelopeChannel[] = [
  {
    id: 'ledgerCommands',
    address: TOPICS.ledgerCommands,
    description:
      "The ledger's input: one command per change of an account, keyed by the account it " +
      'changes (a transfer by its source, its credit leg by the destination), so one ' +
      "partition's consumer decides every change of an account in order. Ids are deterministic " +
      '(`commandIds` in libs/contracts): a command sent twice has one effect. ' +
      EXACTLY_ONCE,
    key: "The account the command changes (also the envelope's partitionkey).",
    publishers: 'The gateway, the ledger (follow-ups), the partner adapter and the reconciler',
    messagePrefix: '',
    schemaPrefix: '',
    schemas: LEDGER_COMMAND_SCHEMAS,
    source: 'gateway',
    idPrefix: 'command',
    keyOf: accountKey,
  },
  {
    id: 'ledgerEvents',
    address: TOPICS.ledgerEvents,
    description:
      "The ledger's account-level events (legs of transfers, deposits, payouts, account " +
      'changes), keyed by the account, in account sequence order per account, each once per id.',
    key: 'The account the message belongs to (also in the envelope as partitionkey).',
    publishers: 'The ledger',
    messagePrefix: 'Ledger',
    schemaPrefix: '',
    schemas: LEDGER_EVENT_SCHEMAS,
    source: 'ledger',
    idPrefix: 'ledger-event',
    keyOf: accountKey,
  },
  {
    id: 'partnerEvents',
    address: TOPICS.partnerEvents,
    description:
      'What the partner adapter learns about a payout at the bank (submitted, accepted, unknown ' +
      'outcome, escalated...) and about money the bank received, keyed by the platform account. ' +
      "The ledger's events stay the truth of the money. " +
      EXACTLY_ONCE,
    key: 'The platform account the payout or credit belongs to.',
    publishers: 'The partner adapter',
    messagePrefix: '',
    schemaPrefix: '',
    schemas: PARTNER_EVENT_SCHEMAS,
    source: 'partner-adapter',
    idPrefix: 'partner-event',
    keyOf: (_type, data) => String(data.accountId ?? 'acc-payer'),
  },
  {
    id: 'partnerStatements',
    address: TOPICS.partnerStatements,
    description:
      "A partner bank's daily statement of our settlement account, published whole in one " +
      'outbox transaction: StatementReceived, then StatementEntriesReported chunks that together ' +
      'hold exactly entryCount entries; use a statement only once all of them arrived. Ids come ' +
      "from the file's digest: the same file twice publishes the same ids.",
    key: '`statement:<partnerId>:<accountIban>`: one partition per bank account, in order.',
    publishers: 'The partner adapter (fetched) and the gateway (uploaded by an admin)',
    messagePrefix: '',
    schemaPrefix: '',
    schemas: PARTNER_STATEMENT_MESSAGE_SCHEMAS,
    source: 'partner-adapter',
    idPrefix: 'statement',
    keyOf: (_type, data) =>
      data.partnerId && data.accountIban
        ? statementMessageKey(String(data.partnerId), String(data.accountIban))
        : SANDBOX_STATEMENT_KEY,
  },
  {
    id: 'reconciliationCommands',
    address: TOPICS.reconciliationCommands,
    description:
      'Requests to the reconciler (runs, maker-checker actions on exceptions) and to the partner ' +
      "adapter (FetchStatement), keyed by the partner so one partner's actions are serialised.",
    key: '`reconciliation:<partnerId>`.',
    publishers: 'The gateway (admin API, review page) and the reconciler (its schedule)',
    messagePrefix: '',
    schemaPrefix: '',
    schemas: RECONCILIATION_COMMAND_SCHEMAS,
    source: 'gateway',
    idPrefix: 'reconciliation-command',
    keyOf: () => reconciliationKey('sandbox'),
  },
  {
    id: 'reconciliationEvents',
    address: TOPICS.reconciliationEvents,
    description:
      "Every reconciliation fact, for the review queue and internal teams: runs, matches' " +
      'bookings, exceptions opened, each proposal, approval, decline, resolution and refused ' +
      'action. Keyed by the partner. ' +
      EXACTLY_ONCE,
    key: '`reconciliation:<partnerId>`.',
    publishers: 'The reconciler',
    messagePrefix: '',
    schemaPrefix: '',
    schemas: RECONCILIATION_EVENT_SCHEMAS,
    source: 'reconciler',
    idPrefix: 'reconciliation-event',
    keyOf: () => reconciliationKey('sandbox'),
  },
];

export interface DeadLetterChannel {
  id: string;
  address: TopicName;
  publishers: string;
  what: string;
}

export const DEAD_LETTER_CHANNELS: DeadLetterChannel[] = [
  {
    id: 'ledgerDeadLetters',
    address: TOPICS.ledgerDeadLetters,
    publishers: 'The ledger',
    what: 'ledger.commands.v1 messages the ledger cannot decode, nor refuse as a command',
  },
  {
    id: 'projectionDeadLetters',
    address: TOPICS.projectionDeadLetters,
    publishers: "The gateway's projection",
    what: 'ledger and partner events the projection could not project (undecodable, refused)',
  },
  {
    id: 'partnerAdapterDeadLetters',
    address: TOPICS.partnerAdapterDeadLetters,
    publishers: 'The partner adapter',
    what: 'ledger events it needs (PayoutReserved, AccountOpened) but cannot read',
  },
  {
    id: 'reconcilerDeadLetters',
    address: TOPICS.reconcilerDeadLetters,
    publishers: 'The reconciler',
    what: 'ledger, partner, statement or reconciliation command messages it cannot read',
  },
];
