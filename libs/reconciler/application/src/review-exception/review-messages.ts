import { BankSide, LedgerSide, ReconciliationCommand, reconciliationKey } from '@rtp/contracts';
import { AcceptBankEffect, ReviewDecision, resolutionDifferenceIdOf } from '@rtp/reconciler/domain';
import {
  OutgoingMessage,
  eventIds,
  ledgerCommand,
  reconciliationEvent,
} from '../outgoing/outgoing-message';

/** An exception's stored facts: what the approval's ledger command is built from. */
export interface ReviewedException {
  exceptionId: string;
  partnerId: string;
  currency: string;
  ledgerSide: LedgerSide[];
  bankSide: BankSide[];
}

type ReviewCommand = Extract<
  ReconciliationCommand,
  { type: 'ProposeResolution' | 'ApproveResolution' | 'DeclineResolution' }
>;

const evidenceOf = (exception: ReviewedException, note: string) =>
  `exception ${exception.exceptionId}: ${note}`.slice(0, 500);

/** The new ledger command an approved `accept_bank` sends (never an edit of what is booked). */
export function approvalCommand(
  exception: ReviewedException,
  effect: AcceptBankEffect,
  proposalNote: string,
  approver: string,
  at: Date,
): OutgoingMessage {
  const record = exception.ledgerSide[0];
  const evidence = evidenceOf(exception, proposalNote);
  if (effect.command === 'BookPartnerDifference') {
    const data = {
      differenceId: resolutionDifferenceIdOf(exception.exceptionId),
      accountId: effect.accountId ?? reconciliationKey(exception.partnerId),
      partnerId: exception.partnerId,
      currency: exception.currency,
      amountMinor: effect.amountMinor.toString(),
      reasonCode: effect.reasonCode,
      evidence,
      actor: approver,
    };
    return ledgerCommand('BookPartnerDifference', data, exception.exceptionId, at);
  }
  if (!record) throw new Error(`exception ${exception.exceptionId} has no record to resolve`);
  if (effect.command === 'ResolvePayment') {
    const data = {
      paymentId: record.recordId,
      accountId: record.accountId,
      resolution: effect.resolution,
      evidence,
      actor: approver,
    };
    return ledgerCommand('ResolvePayment', data, exception.exceptionId, at);
  }
  const line = exception.bankSide[0];
  const data = {
    paymentId: record.recordId,
    accountId: record.accountId,
    amountMinor: record.amountMinor,
    currency: record.currency,
    partnerId: exception.partnerId,
    partnerReference: (line?.transactionId ?? line?.entryReference ?? 'statement').slice(0, 140),
    reasonCode: effect.reasonCode,
  };
  return ledgerCommand('ReturnPayout', data, exception.exceptionId, at);
}

/** The events (audit) and the ledger command of a review decision. */
export function reviewMessages(
  exception: ReviewedException | null,
  partnerId: string,
  command: ReviewCommand,
  decision: ReviewDecision,
  at: Date,
): OutgoingMessage[] {
  const { exceptionId, actionId, actor } = command.data;
  const time = at.toISOString();
  const event = (type: Parameters<typeof reconciliationEvent>[0], data: object) =>
    reconciliationEvent(
      type,
      eventIds.action(type, actionId),
      partnerId,
      data as never,
      exceptionId,
      at,
    );
  if (decision.kind === 'refused') {
    const { code, detail } = decision;
    return [
      event('ExceptionActionRefused', { exceptionId, actionId, actor, code, detail, at: time }),
    ];
  }
  const { proposal } = decision;
  const { proposalId, resolution, note } = proposal;
  if (decision.kind === 'proposed') {
    const proposed = event('ExceptionResolutionProposed', {
      exceptionId,
      proposalId,
      resolution,
      note,
      actor,
      requiresApproval: decision.requiresApproval,
      at: time,
    });
    if (!decision.resolved) return [proposed];
    return [proposed, resolvedEvent(event, exceptionId, resolution, note, actor, null, null, time)];
  }
  if (decision.kind === 'declined') {
    return [
      event('ExceptionResolutionDeclined', {
        exceptionId,
        proposalId,
        actor,
        note: decision.note,
        at: time,
      }),
    ];
  }
  return approvedMessages(exception, decision, event, command.data.actor, time, at);
}

function approvedMessages(
  exception: ReviewedException | null,
  decision: Extract<ReviewDecision, { kind: 'approved' }>,
  event: (
    type: 'ExceptionResolutionApproved' | 'ExceptionResolved',
    data: object,
  ) => OutgoingMessage,
  actor: string,
  time: string,
  at: Date,
): OutgoingMessage[] {
  const { proposal } = decision;
  if (!exception) throw new Error(`approved exception has no stored facts`);
  const { exceptionId } = exception;
  const sent = decision.effect
    ? approvalCommand(exception, decision.effect, proposal.note, decision.approver, at)
    : null;
  const ledgerCommandId = sent?.messageId ?? null;
  const { proposalId, resolution, note } = proposal;
  return [
    ...(sent ? [sent] : []),
    event('ExceptionResolutionApproved', {
      exceptionId,
      proposalId,
      actor,
      ledgerCommandId,
      at: time,
    }),
    resolvedEvent(
      event,
      exceptionId,
      resolution,
      note,
      proposal.actor,
      actor,
      ledgerCommandId,
      time,
    ),
  ];
}

function resolvedEvent(
  event: (type: 'ExceptionResolved', data: object) => OutgoingMessage,
  exceptionId: string,
  resolution: string,
  note: string,
  resolvedBy: string,
  approvedBy: string | null,
  ledgerCommandId: string | null,
  at: string,
): OutgoingMessage {
  return event('ExceptionResolved', {
    exceptionId,
    resolution,
    note,
    resolvedBy,
    approvedBy,
    ledgerCommandId,
    at,
  });
}
