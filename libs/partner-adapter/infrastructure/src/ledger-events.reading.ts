import { KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import { LEDGER_EVENT_SCHEMAS, TOPICS, deadLetterOf, decodeEnvelope } from '@rtp/contracts';
import { OutgoingMessage } from '@rtp/partner-adapter/application';

/**
 * PayoutReserved as the adapter reads it: with the beneficiary and our end-to-end reference (the
 * plan's additions; `extend` keeps them whether or not the contract has them yet).
 */
const payoutReservedSchema = LEDGER_EVENT_SCHEMAS.PayoutReserved.extend({
  beneficiary: z.strictObject({
    iban: z.string().min(5).max(34),
    name: z.string().min(1).max(140),
  }),
  endToEndId: z.string().min(1).max(35),
});
const accountOpenedSchema = LEDGER_EVENT_SCHEMAS.AccountOpened.extend({
  virtualIban: z.string().min(5).max(34).nullable().optional(),
});

export interface ReservedPayoutRow {
  data: z.infer<typeof payoutReservedSchema>;
  reservedAt: Date;
  /** The reservation's trace context (its envelope's traceparent), kept with the payout. */
  traceparent: string | null;
}

export interface VirtualIbanRow {
  iban: string;
  accountId: string;
  currency: string;
}

/** Why a message the adapter needs went to its dead letters (a bounded metric label). */
export type UnusableCause = 'undecodable' | 'unreadable_reservation' | 'unreadable_account';

export interface Unusable {
  message: KafkaMessage;
  cause: UnusableCause;
  reason: string;
}

export interface ReadBatch {
  payouts: ReservedPayoutRow[];
  ibans: VirtualIbanRow[];
  unusable: Unusable[];
}

/** The validation error in words, without the values (they may hold an IBAN or a name). */
function issuesOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
    .join('; ');
}

/**
 * What a batch of ledger.events.v1 holds for the adapter: PayoutReserved of its partner, virtual
 * IBANs of AccountOpened, and the messages it needs but cannot read. An undecodable envelope may
 * be either, so it is unusable too; events of other types are not the adapter's business.
 */
export function readLedgerEvents(messages: KafkaMessage[], partnerId: string): ReadBatch {
  const read: ReadBatch = { payouts: [], ibans: [], unusable: [] };
  for (const message of messages) {
    const decoded = decodeEnvelope(message.value);
    if (!decoded.ok) {
      read.unusable.push({ message, cause: 'undecodable', reason: 'envelope not decodable' });
      continue;
    }
    const { type, data, time, traceparent } = decoded.envelope;
    if (type === 'PayoutReserved') {
      const parsed = payoutReservedSchema.safeParse(data);
      if (!parsed.success) {
        const reason = `PayoutReserved unreadable: ${issuesOf(parsed.error)}`;
        read.unusable.push({ message, cause: 'unreadable_reservation', reason });
      } else if (parsed.data.partnerId === partnerId) {
        read.payouts.push({
          data: parsed.data,
          reservedAt: new Date(time),
          traceparent: traceparent ?? null,
        });
      }
    } else if (type === 'AccountOpened') {
      const parsed = accountOpenedSchema.safeParse(data);
      if (!parsed.success) {
        const reason = `AccountOpened unreadable: ${issuesOf(parsed.error)}`;
        read.unusable.push({ message, cause: 'unreadable_account', reason });
      } else if (parsed.data.virtualIban) {
        const { virtualIban, accountId, currency } = parsed.data;
        read.ibans.push({ iban: virtualIban, accountId, currency });
      }
    }
  }
  return read;
}

/** The dead letter of an unusable message, for the adapter's outbox (one id per source offset). */
export function deadLetterMessage(
  topic: string,
  partition: number,
  unusable: Unusable,
): OutgoingMessage {
  const { message, reason } = unusable;
  const { letter } = deadLetterOf(
    {
      topic,
      partition,
      offset: message.offset,
      key: message.key ?? null,
      value: message.value ?? null,
    },
    reason,
  );
  return {
    topic: TOPICS.partnerAdapterDeadLetters,
    key: message.key?.toString('utf8') ?? `partition-${partition}`,
    messageId: letter.id,
    messageType: 'DeadLetter',
    payload: letter as unknown as Record<string, unknown>,
  };
}
