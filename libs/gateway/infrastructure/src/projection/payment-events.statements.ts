import { EntityManager } from 'typeorm';
import { preparedQueryIn } from '@rtp/shared/database';
import { PaymentStatus } from '@rtp/gateway/application';
import { PaymentRow, SELECT_PAYMENT, toPayment } from '../gateway-rows';
import {
  PAYMENT_EVENTS_TOPIC,
  PaymentEventMessage,
  PublishedStatuses,
  paymentEventMessages,
} from './payment-event-messages';
import { TerminalPayment, isTerminalStatus } from './payment-metrics';
import { StatusesReached } from './payment-events';

const SELECT_PAYMENTS = SELECT_PAYMENT.replace(
  'WHERE p.payment_id = $1',
  'WHERE p.payment_id = ANY($1::text[])',
);
if (SELECT_PAYMENTS === SELECT_PAYMENT) throw new Error('SELECT_PAYMENT no longer ends by its id');

/**
 * Records each status the transaction's events took their payments to, and puts its message on
 * payments.events.v1 through the gateway's outbox, in the projection's transaction: the status
 * change and its message commit together. Returns how many messages it wrote.
 *
 * Runs after every other write of the transaction, so the rows it reads are the ones just written,
 * and every payment here is locked already (a transfer's or deposit's row by its upsert, a payout
 * by its advisory lock): two transactions never number one payment's statuses at once. The
 * record's keys (payment and status; payment and sequence) and the outbox's message id make a
 * redelivered event, a replay or a rebuild write nothing. The outbox rows are created at
 * clock_timestamp(), after the lock: a payment's later status has a later id and time than its
 * earlier one, so the relay, which publishes by id, publishes them in order. Also returns the
 * terminal statuses it recorded (for the metrics, counted once the transaction commits).
 */
export async function writePaymentEvents(
  manager: EntityManager,
  reached: ReadonlyMap<string, StatusesReached>,
  at: Date,
): Promise<{ written: number; terminal: TerminalPayment[] }> {
  if (reached.size === 0) return { written: 0, terminal: [] };
  const sql = await preparedQueryIn(manager);
  const ids = [...reached.keys()].sort();
  const rows = (await sql(SELECT_PAYMENTS, [ids])) as unknown as PaymentRow[];
  const payments = new Map(rows.map((row) => [row.payment_id, toPayment(row)]));
  const published = await publishedStatuses(sql, ids);
  const messages: PaymentEventMessage[] = ids.flatMap((id) =>
    paymentEventMessages(
      reached.get(id)!,
      payments.get(id) ?? null,
      published.get(id) ?? { statuses: [], lastSequence: 0 },
    ),
  );
  if (messages.length === 0) return { written: 0, terminal: [] };
  const written = (await sql(
    `WITH incoming AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::text[],
         $6::text[], $7::jsonb[]) WITH ORDINALITY
         AS t(payment_id, status, status_sequence, message_id, message_type, message_key, payload,
           position)
     ), recorded AS (
       INSERT INTO gateway.payment_events (payment_id, status, status_sequence, message_id,
         recorded_at)
       SELECT payment_id, status, status_sequence, message_id, $8 FROM incoming
       ORDER BY position
       ON CONFLICT DO NOTHING
       RETURNING message_id
     )
     INSERT INTO gateway.outbox (topic, message_key, message_id, message_type, payload, created_at)
     SELECT $9, i.message_key, i.message_id, i.message_type, i.payload, clock_timestamp()
     FROM incoming i JOIN recorded r USING (message_id)
     ORDER BY i.position
     ON CONFLICT (message_id) DO NOTHING
     RETURNING message_id`,
    [
      messages.map((m) => m.paymentId),
      messages.map((m) => m.status),
      messages.map((m) => m.statusSequence),
      messages.map((m) => m.messageId),
      messages.map((m) => m.messageType),
      messages.map((m) => m.key),
      messages.map((m) => JSON.stringify(m.payload)),
      at,
      PAYMENT_EVENTS_TOPIC,
    ],
  )) as { message_id: string }[];
  const writtenIds = new Set(written.map((row) => row.message_id));
  const terminal = messages.flatMap((message) => {
    const payment = payments.get(message.paymentId);
    if (!payment || !writtenIds.has(message.messageId) || !isTerminalStatus(message.status))
      return [];
    const code = message.status === 'completed' ? null : payment.failureCode;
    return [{ kind: payment.kind, outcome: message.status, code, createdAt: payment.createdAt }];
  });
  return { written: written.length, terminal };
}

type Sql = Awaited<ReturnType<typeof preparedQueryIn>>;

async function publishedStatuses(
  sql: Sql,
  ids: readonly string[],
): Promise<Map<string, PublishedStatuses>> {
  const rows = (await sql(
    `SELECT payment_id, array_agg(status) AS statuses, max(status_sequence) AS last_sequence
     FROM gateway.payment_events WHERE payment_id = ANY($1::text[]) GROUP BY payment_id`,
    [ids],
  )) as unknown as { payment_id: string; statuses: PaymentStatus[]; last_sequence: number }[];
  return new Map(
    rows.map((row) => [
      row.payment_id,
      { statuses: row.statuses, lastSequence: Number(row.last_sequence) },
    ]),
  );
}
