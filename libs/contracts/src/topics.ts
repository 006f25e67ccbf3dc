/**
 * Every topic is keyed by account ID, so all changes to one account are serialised by its partition.
 * Names follow `<domain>.<kind>.v<N>`; a breaking change is a new version, never an edit.
 */
export const TOPICS = {
  ledgerCommands: 'ledger.commands.v1',
  ledgerEvents: 'ledger.events.v1',
  ledgerDeadLetters: 'ledger.commands.dlq.v1',
  /** Ledger events the gateway's projection could not project (undecodable, or refused by its database). */
  projectionDeadLetters: 'gateway.projection.dlq.v1',
  partnerEvents: 'partner.events.v1',
  /** Ledger events the partner adapter needs (PayoutReserved, AccountOpened) but cannot read. */
  partnerAdapterDeadLetters: 'partner.adapter.dlq.v1',
  partnerStatements: 'partner.statements.v1',
  reconciliationCommands: 'reconciliation.commands.v1',
  reconciliationEvents: 'reconciliation.events.v1',
  /** Reconciler inputs it cannot read (undecodable ledger, partner, statement or command messages). */
  reconcilerDeadLetters: 'reconciler.dlq.v1',
  /** One message per payment status change (issue #13), for internal teams and webhooks. */
  paymentEvents: 'payments.events.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: readonly TopicName[] = Object.values(TOPICS);

/** Consumer group ids are part of the contract: SREs scale and monitor them by name. */
export const CONSUMER_GROUPS = {
  ledger: 'ledger',
  gatewayProjections: 'gateway-projections',
  partnerAdapter: 'partner-adapter',
  reconciler: 'reconciler',
  /** The gateway's projection of reconciliation.events.v1 (the review queue's read models). */
  gatewayReconciliation: 'gateway-reconciliation',
  /** The gateway's webhook delivery from payments.events.v1 (its own stored position). */
  gatewayWebhooks: 'gateway-webhooks',
} as const;
