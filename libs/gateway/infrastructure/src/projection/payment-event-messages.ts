import {
  PAYMENT_EVENT_SCHEMAS,
  PaymentEventData,
  PublicPayment,
  TOPICS,
  createEnvelope,
  paymentEventId,
  paymentEventType,
} from '@rtp/contracts';
import { ADMIN_CLIENT_ID } from '@rtp/gateway/domain';
import { PaymentRecord, PaymentStatus } from '@rtp/gateway/application';
import { PAYOUT_STATUS_RANK } from './payout-changes';
import { StatusesReached } from './payment-events';

/** What payments.events.v1 already carries of a payment: its statuses and their last sequence. */
export interface PublishedStatuses {
  statuses: PaymentStatus[];
  lastSequence: number;
}

/** One message to record and put in the outbox. */
export interface PaymentEventMessage {
  paymentId: string;
  status: PaymentStatus;
  statusSequence: number;
  messageId: string;
  messageType: string;
  key: string;
  payload: Record<string, unknown>;
}

const rank = (status: PaymentStatus) => PAYOUT_STATUS_RANK[status];

/**
 * The statuses to publish now, in order: those the events (and the row itself) show, that come
 * after every status published already (a status only moves forward, so a late event of an
 * earlier status publishes nothing), and that the read model has reached (none beyond its row's
 * status; of the row's rank, only the row's status). A payment whose row does not know its client
 * yet (a transfer's credit leg projected before its debit) waits: its debit's event publishes.
 */
export function statusesToPublish(
  reached: StatusesReached,
  row: PaymentRecord | null,
  published: PublishedStatuses,
): PaymentStatus[] {
  if (row === null || row.clientId === '') return [];
  const rowRank = rank(row.status);
  const publishedRank = Math.max(-1, ...published.statuses.map(rank));
  const candidates = new Set<PaymentStatus>([
    ...reached.statuses.keys(),
    ...(row.payout?.history ?? []).map((entry) => entry.status),
    row.status,
  ]);
  const chosen = new Map<number, PaymentStatus>();
  for (const status of candidates) {
    const statusRank = rank(status);
    if (statusRank <= publishedRank || statusRank > rowRank) continue;
    if (statusRank === rowRank && status !== row.status) continue;
    if (!chosen.has(statusRank)) chosen.set(statusRank, status);
  }
  return [...chosen.entries()].sort(([a], [b]) => a - b).map(([, status]) => status);
}

function maskIban(iban: string): string {
  const compact = iban.replace(/\s+/g, '');
  if (compact.length <= 8) return '*'.repeat(compact.length);
  return `${compact.slice(0, 4)}${'*'.repeat(compact.length - 8)}${compact.slice(-4)}`;
}

/** The key of a payment's messages: the account it belongs to, so its messages keep their order. */
export function paymentEventKey(row: PaymentRecord): string {
  const key = row.kind === 'deposit' ? row.destinationAccountId : row.sourceAccountId;
  if (!key) throw new Error(`payment ${row.id} (${row.kind}) has no account to key its events by`);
  return key;
}

/** The payment's public representation (GET /v1/payments/{id}, admin's view) at `status`. */
export function publicPaymentAt(
  row: PaymentRecord,
  status: PaymentStatus,
  failureCode: string | null,
  at: Date,
): PublicPayment {
  const payout = row.payout ?? null;
  return {
    id: row.id,
    kind: row.kind,
    status,
    sourceAccountId: row.sourceAccountId,
    destinationAccountId: row.destinationAccountId,
    amount: row.amountMinor,
    currency: row.currency,
    reference: row.reference,
    metadata: row.metadata,
    failureCode,
    initiatedBy: row.clientId === ADMIN_CLIENT_ID ? 'admin' : 'account_owner',
    beneficiary: payout
      ? { ibanMasked: maskIban(payout.beneficiary.iban), name: payout.beneficiary.name }
      : null,
    endToEndId: payout?.endToEndId ?? null,
    bankReference: payout?.bankReference ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: at.toISOString(),
  };
}

/**
 * The messages of the statuses to publish, numbered on from the last published sequence. Each is
 * checked against its contract before it is written: a message that does not parse is a bug.
 */
export function paymentEventMessages(
  reached: StatusesReached,
  row: PaymentRecord | null,
  published: PublishedStatuses,
): PaymentEventMessage[] {
  const statuses = statusesToPublish(reached, row, published);
  if (row === null || statuses.length === 0) return [];
  const allDerivedFrom = [...new Set([...reached.statuses.values()].flatMap((s) => s.derivedFrom))];
  const key = paymentEventKey(row);
  return statuses.map((status, index) => {
    const seen = reached.statuses.get(status);
    const history = row.payout?.history.find((entry) => entry.status === status);
    const at = seen?.at ?? history?.at ?? row.updatedAt;
    const failureCode = status === row.status ? row.failureCode : (history?.failureCode ?? null);
    const type = paymentEventType(row.kind, status);
    if (type === null) throw new Error(`no payment event type for a ${row.kind} ${status}`);
    const data: PaymentEventData = {
      payment: publicPaymentAt(row, status, failureCode, at),
      // A deposit is the credited account owner's payment (the admin or the bank sent it).
      clientId: row.kind === 'deposit' ? (row.destinationClientId ?? row.clientId) : row.clientId,
      statusSequence: published.lastSequence + index + 1,
      derivedFrom: seen?.derivedFrom ?? allDerivedFrom,
      at: at.toISOString(),
    };
    const parsed = PAYMENT_EVENT_SCHEMAS[type].safeParse(data);
    if (!parsed.success) {
      throw new Error(`${type} of ${row.id} breaks its contract: ${parsed.error.message}`);
    }
    const messageId = paymentEventId(row.id, status);
    const envelope = createEnvelope({
      id: messageId,
      type,
      source: 'gateway',
      time: at,
      partitionKey: key,
      correlationId: row.id,
      causationId: data.derivedFrom[data.derivedFrom.length - 1],
      data,
    });
    return {
      paymentId: row.id,
      status,
      statusSequence: data.statusSequence,
      messageId,
      messageType: type,
      key,
      payload: envelope as unknown as Record<string, unknown>,
    };
  });
}

export const PAYMENT_EVENTS_TOPIC = TOPICS.paymentEvents;
